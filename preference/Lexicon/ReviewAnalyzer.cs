using Mender.Preference.Sentiment;

namespace Mender.Preference.Lexicon;

/// <summary>A preference the built-in extractor read from one clause, with how strongly the clause supports it.</summary>
internal readonly record struct Evidence(Feature Feature, string Text, PreferenceSentiment Sentiment, double Weight);

/// <summary>
/// Reads one review (or an item title) clause by clause and turns lexicon matches into preferences. Per clause: a
/// quality word is placed in the aspect whose noun is nearest ("light" near "scent" is a scent), then its sentiment
/// comes from, in order: a wish ("I wish it had X"), the patterns "not too X" and "too X", "not X enough", a negation
/// before it, its inherent sentiment, the rest of the clause (opinion words and the other features' own sentiment),
/// and finally the star rating. Clauses about delivery, sellers or price are skipped.
/// </summary>
internal static class ReviewAnalyzer
{
    private const double QualityWeight = 1.0;
    private const double GenericWeight = 0.5;
    private const double FreeOfWeight = 1.5;
    private const double NeedWeight = 1.2;
    private const double ProductWeight = 0.3;
    private const double PatternBoost = 1.5;

    private static readonly HashSet<string> Affection = new(StringComparer.Ordinal) { "love", "loved", "loves", "adore", "adores", "adored", "luv" };

    /// <param name="text">Review text, summary or title.</param>
    /// <param name="ratingSign">+1 for a high rating, -1 for a low one, 0 when it says nothing.</param>
    /// <param name="weight">How much the text's evidence counts (a title less than a review).</param>
    /// <param name="opinions">False for titles and attributes: they carry no opinion words, only the rating.</param>
    /// <param name="into">Receives the evidence found.</param>
    public static void Analyze(string? text, int ratingSign, double weight, bool opinions, List<Evidence> into)
    {
        foreach (var clause in ClauseTokenizer.Clauses(text))
            AnalyzeClause(clause, ratingSign, weight, opinions, into);
    }

    private static void AnalyzeClause(string[] tokens, int ratingSign, double weight, bool opinions, List<Evidence> into)
    {
        if (opinions && tokens.Any(SentimentLexicon.OffTopic.Contains)) return;
        var matches = AspectLexicon.Default.Matcher.Matches(tokens);
        if (matches.Count == 0) return;

        var nouns = new List<(int Position, string Aspect, bool Generic)>();
        foreach (var m in matches)
            if (m.Value.NounAspect is { } aspect)
                nouns.Add((m.Start, aspect, m.Value.NounCarriesGeneric));

        // Resolve each phrase to one feature, then read each feature against the rest of the clause: the opinion words
        // outside every feature, plus the inherent sentiment of the other features ("the matte finish stays put all day":
        // lasting wear speaks for the matte finish; "the rich texture clogged my pores": breakouts speak against it).
        var resolved = new List<(PhraseMatcher<LexiconEntry>.Match Match, Feature Feature, int Contribution)>();
        var masked = new bool[tokens.Length];
        for (var i = 0; i < matches.Count;)
        {
            var start = matches[i].Start;
            var end = i;
            while (end < matches.Count && matches[end].Start == start) end++;
            var feature = Place(matches, i, end, nouns);
            var match = matches[i];
            i = end;
            if (feature is null) continue;
            for (var k = match.Start; k < match.End; k++) masked[k] = true;
            var contribution = feature.Kind == FeatureKind.Quality && opinions
                ? feature.Inherent * (SentimentLexicon.IsNegatedAt(tokens, match.Start) ? -1 : 1)
                : 0;
            resolved.Add((match, feature, contribution));
        }
        var baseScore = opinions ? SentimentLexicon.ClauseScore(tokens, masked) : 0;
        var totalContribution = resolved.Sum(r => r.Contribution);

        var aspectsWithQuality = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (match, feature, contribution) in resolved)
        {
            var other = baseScore + totalContribution - contribution;
            var reading = Read(tokens, match.Start, match.End, feature, ratingSign, opinions, other);
            if (reading is not { } r) continue;
            if (feature.Kind == FeatureKind.Quality) aspectsWithQuality.Add(feature.Aspect);
            into.Add(new Evidence(feature, r.Text, r.Sentiment, weight * BaseWeight(feature.Kind) * r.Boost));
        }

        if (!opinions) return;
        var genericDone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, aspect, generic) in nouns)
        {
            if (!generic || aspectsWithQuality.Contains(aspect) || !genericDone.Add(aspect)) continue;
            if (!AspectLexicon.Default.Generic.TryGetValue(aspect, out var feature)) continue;
            var score = baseScore + totalContribution;
            if (score == 0) continue;
            var text = score > 0 ? feature.Like : feature.Avoid;
            if (text is null) continue;
            into.Add(new Evidence(feature, text, score > 0 ? PreferenceSentiment.Positive : PreferenceSentiment.Negative, weight * GenericWeight));
        }
    }

    private static double BaseWeight(FeatureKind kind) => kind switch
    {
        FeatureKind.Quality => QualityWeight,
        FeatureKind.Generic => GenericWeight,
        FeatureKind.FreeOf => FreeOfWeight,
        FeatureKind.Need => NeedWeight,
        _ => ProductWeight,
    };

    /// <summary>Picks, among the features one phrase can name, the one whose aspect noun is nearest; else a standalone one.</summary>
    private static Feature? Place(List<PhraseMatcher<LexiconEntry>.Match> matches, int from, int to, List<(int Position, string Aspect, bool Generic)> nouns)
    {
        Feature? best = null;
        var bestDistance = int.MaxValue;
        Feature? standalone = null;
        for (var k = from; k < to; k++)
        {
            if (matches[k].Value.Feature is not { } feature) continue;
            if (feature.Standalone) standalone ??= feature;
            foreach (var noun in nouns)
            {
                if (noun.Aspect != feature.Aspect) continue;
                var distance = Math.Abs(noun.Position - matches[k].Start);
                if (distance < bestDistance)
                {
                    best = feature;
                    bestDistance = distance;
                }
            }
        }
        return best ?? standalone;
    }

    private readonly record struct Reading(string Text, PreferenceSentiment Sentiment, double Boost);

    /// <param name="tokens">The clause's tokens.</param>
    /// <param name="start">The feature's first token.</param>
    /// <param name="end">The token after the feature.</param>
    /// <param name="feature">The feature found there.</param>
    /// <param name="ratingSign">+1 for a high rating, -1 for a low one, 0 when it says nothing.</param>
    /// <param name="opinions">False for titles and attributes: they carry no opinion words, only the rating.</param>
    /// <param name="other">The clause's opinion apart from this feature.</param>
    private static Reading? Read(string[] tokens, int start, int end, Feature feature, int ratingSign, bool opinions, int other)
    {
        var negated = opinions && SentimentLexicon.IsNegatedAt(tokens, start);
        // "I wish it were X", "I hope it comes in X": the user wants X, whatever the rating.
        if (opinions && Wished(tokens, start)) return Positive(feature.Like ?? feature.WhenNegated, PatternBoost);
        switch (feature.Kind)
        {
            case FeatureKind.FreeOf:
                if (feature.Soft) return other < 0 ? null : Positive(feature.Like, 1);
                if (negated) return Positive(feature.Like, 1);
                return other < 0 || (other == 0 && ratingSign < 0) ? Negative(feature.Avoid, 1) : Positive(feature.Like, 1);
            case FeatureKind.Need:
                return negated ? null : Positive(feature.Like, 1);
            case FeatureKind.ProductType:
                if (negated) return null;
                return (opinions ? other > 0 : ratingSign >= 0) ? Positive(feature.Like, 1) : null;
        }

        var too = opinions && start > 0 && (tokens[start - 1] == "too"
            || (start > 1 && tokens[start - 2] == "too" && tokens[start - 1] is "much" or "many" or "very"));
        if (too)
        {
            var tooAt = tokens[start - 1] == "too" ? start - 1 : start - 2;
            return SentimentLexicon.IsNegatedAt(tokens, tooAt, 2)
                ? Positive(feature.WhenNegated, PatternBoost)
                : Negative(feature.Avoid, PatternBoost);
        }
        var enough = opinions && (At(tokens, end) == "enough" || At(tokens, end + 1) == "enough");
        if (negated && enough) return Positive(feature.Like, PatternBoost);
        if (negated)
        {
            if (feature.Inherent < 0) return Positive(feature.WhenNegated, 1);
            if (feature.AbsenceIsComplaint) return Positive(feature.Like, 1);
            if (other > 0) return Negative(feature.Avoid, 1);
            if (other < 0) return Positive(feature.Like, 1);
            return null;
        }

        // A flaw named in a clearly happy clause about a liked item is one the product spared the user ("my skin is
        // a lot less irritated now, very happy"): the wish is for its absence.
        if (feature.Inherent < 0 && other > 0 && ratingSign > 0) return Positive(feature.WhenNegated, 1);
        var boost = opinions && Affectionate(tokens, start) ? PatternBoost : 1;
        // A flaw with no avoiding sentence ("fades") is read as the wish for its opposite ("wants long-lasting ...").
        if (feature.Inherent < 0 && feature.Avoid is null) return Positive(feature.WhenNegated, boost);
        var sign = feature.Inherent != 0 ? feature.Inherent : other != 0 ? Math.Sign(other) : ratingSign;
        return sign switch
        {
            > 0 => Positive(feature.Like, boost),
            < 0 => Negative(feature.Avoid, boost),
            _ => null,
        };
    }

    private static Reading? Positive(string? text, double boost) =>
        text is null ? null : new Reading(text, PreferenceSentiment.Positive, boost);

    private static Reading? Negative(string? text, double boost) =>
        text is null ? null : new Reading(text, PreferenceSentiment.Negative, boost);

    private static string? At(string[] tokens, int i) => i < tokens.Length ? tokens[i] : null;

    private static readonly HashSet<string> Wishes = new(StringComparer.Ordinal) { "wish", "wished", "wishing", "hope", "hoped", "hoping" };

    private static bool Wished(string[] tokens, int start)
    {
        for (var k = 0; k < start; k++)
            if (Wishes.Contains(tokens[k]))
                return true;
        return false;
    }

    /// <summary>"love the X", "adore how X": affection just before the feature makes it a stated preference.</summary>
    private static bool Affectionate(string[] tokens, int start)
    {
        for (var k = Math.Max(0, start - 3); k < start; k++)
            if (Affection.Contains(tokens[k]) || (tokens[k] is "like" && SentimentLexicon.Score(tokens, k) > 0))
                return true;
        return false;
    }
}
