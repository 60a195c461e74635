namespace Mender.Preference.Lexicon;

/// <summary>
/// Opinion words, negators and off-topic words for the built-in extractor and the lexicon sentiment classifier.
/// "like" is an opinion only after a subject or an adverb ("I like", "really like"); after "smells" or "looks" it
/// is a comparison.
/// </summary>
internal static class SentimentLexicon
{
    private static readonly Dictionary<string, int> Words = Build();

    public static readonly HashSet<string> Negators = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "nothing", "none", "neither", "nor", "without", "non", "hardly", "barely", "lacks", "lacking", "lack",
        "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "wouldn't", "can't", "cannot", "couldn't",
        "shouldn't", "haven't", "hasn't", "hadn't", "ain't", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent",
        "wont", "wouldnt", "cant", "couldnt", "havent", "hasnt", "n't",
    };

    /// <summary>Words that make a clause about delivery, sellers or price: such clauses say nothing about the products' qualities.</summary>
    public static readonly HashSet<string> OffTopic = new(StringComparer.Ordinal)
    {
        "shipping", "shipped", "ship", "ships", "shipment", "delivery", "delivered", "deliver", "arrived", "arrive", "arrives",
        "arrival", "package", "packages", "seller", "sellers", "vendor", "amazon", "order", "ordered", "ordering", "mail", "mailed",
        "price", "priced", "pricey", "prices", "pricing", "cost", "costs", "costly", "expensive", "inexpensive", "cheap", "cheaper",
        "cheapest", "money", "dollar", "dollars", "bucks", "deal", "bargain", "affordable", "overpriced", "sale", "coupon",
        "refund", "returned", "returning", "$", "penny", "pennies", "budget", "discount", "subscribe", "subscription", "prime",
        "counterfeit", "knockoff", "authentic",
    };

    private static readonly HashSet<string> LikeOpeners = new(StringComparer.Ordinal)
    {
        "i", "we", "you", "they", "he", "she", "really", "do", "did", "does", "would", "i'd", "definitely", "also", "totally",
        "just", "still", "truly", "actually", "always", "both", "all", "much", "mostly", "especially", "wife", "husband",
        "daughter", "son", "mom", "kids", "don't", "didn't", "doesn't", "dont", "didnt", "doesnt", "not", "never", "to",
    };

    /// <summary>The opinion carried by the token at <paramref name="i"/>: +1, -1 or 0.</summary>
    public static int Score(string[] tokens, int i)
    {
        var token = tokens[i];
        if (token is "like" or "likes" or "liked")
            return i > 0 && LikeOpeners.Contains(tokens[i - 1]) ? 1 : 0;
        return Words.GetValueOrDefault(token);
    }

    public static bool IsNegatedAt(string[] tokens, int start, int reach = 3)
    {
        for (var k = Math.Max(0, start - reach); k < start; k++)
            if (Negators.Contains(tokens[k]) || tokens[k].EndsWith("n't", StringComparison.Ordinal))
                return true;
        return false;
    }

    /// <summary>Opinions said in several words, each word harmless alone.</summary>
    private static readonly (string[] Words, int Score)[] Phrases =
    [
        (["not", "for", "me"], -1), (["could", "not", "stand"], -1), (["couldn't", "stand"], -1), (["can't", "stand"], -1),
        (["cannot", "stand"], -1), (["wash", "me", "out"], -1), (["washes", "me", "out"], -1), (["washed", "me", "out"], -1),
        (["white", "cast"], -1), (["not", "worth"], -1), (["no", "good"], -1), (["gave", "me", "a", "headache"], -1),
        (["made", "me", "sneeze"], -1), (["runs", "out"], -1), (["ran", "out"], -1),
        (["cleaning", "spray"], -1), (["cleaning", "product"], -1), (["cleaning", "products"], -1), (["old", "drawer"], -1), (["a", "must", "have"], 1), (["holy", "grail"], 1), (["works", "wonders"], 1),
    ];

    private static int PhraseAt(string[] tokens, int i, out int length)
    {
        foreach (var (words, score) in Phrases)
        {
            if (i + words.Length > tokens.Length) continue;
            var fits = true;
            for (var k = 0; k < words.Length && fits; k++) fits = tokens[i + k] == words[k];
            if (!fits) continue;
            length = words.Length;
            return score;
        }
        length = 0;
        return 0;
    }

    /// <summary>The clause's opinion, leaving out masked tokens: negated opinion words count reversed.</summary>
    public static int ClauseScore(string[] tokens, bool[]? masked = null)
    {
        var sum = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            if (masked is not null && masked[i]) continue;
            var phrase = PhraseAt(tokens, i, out var length);
            if (phrase != 0)
            {
                sum += phrase;
                i += length - 1;
                continue;
            }
            // "too" before a word is a complaint ("too plain", "way too much"), unless negated ("not too strong").
            if (tokens[i] == "too" && i + 1 < tokens.Length)
            {
                if (!IsNegatedAt(tokens, i, 2)) sum--;
                continue;
            }
            var s = Score(tokens, i);
            if (s == 0) continue;
            sum += IsNegatedAt(tokens, i) ? -s : s;
        }
        return sum;
    }

    private static Dictionary<string, int> Build()
    {
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in ("love loved loves loving lovely adore adored adores adorable luv great good nice wonderful wonderfully amazing " +
                           "amazingly awesome excellent perfect perfectly favorite favourite favorites fav fave best beautiful beautifully " +
                           "pleasant pleasantly fantastic heavenly divine delightful delicious gorgeous happy pleased impressed recommend " +
                           "recommended enjoy enjoyed enjoys enjoying fabulous superb terrific outstanding incredible glad thrilled yummy " +
                           "brilliant effective works worked helps helped exquisite sublime better lovelier fine pretty satisfied ideal " +
                           "dreamy addicted obsessed marvelous wow yay fun winner refreshing soothing relaxing stunning elegant glad gorgeous " +
                           "flawless").Split(' '))
            words[w] = 1;
        foreach (var w in ("hate hated hates hating awful terrible terribly horrible horribly bad badly worst poor poorly disappointing " +
                           "disappointed disappointment gross nasty disgusting yuck yucky unpleasant weird strange sickening nauseating " +
                           "nauseous headache headaches waste useless worthless junk garbage trash mediocre meh unhappy annoying annoyed " +
                           "regret sad unfortunately dislike disliked dislikes stinks stink stunk stinky smelly rancid sour bitter worse " +
                           "problem problems issue issues ugh ruined ruins failed fails broke wrong icky harsh offensive toxic " +
                           "overpowering overwhelming sticky greasy irritating irritated rash itchy burning stinging cheap flimsy sickly " +
                           "cloying fake mess messy lifeless dull unflattering impossible").Split(' '))
            words[w] = -1;
        return words;
    }
}
