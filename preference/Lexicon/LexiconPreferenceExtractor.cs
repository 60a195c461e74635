using System.Runtime.CompilerServices;
using Mender.Data;
using Mender.Preference.Extraction;
using Mender.Preference.Sentiment;

namespace Mender.Preference.Lexicon;

/// <summary>
/// The built-in extractor: deterministic aspect-and-sentiment reading of the window's reviews (and, weakly, of the
/// titles and attributes of items reviewed without text), used when no model is given. Evidence for a preference adds
/// up across the window, later items counting more; when a feature has evidence both ways the stronger side wins. It
/// keeps at most five preferences, at most two per aspect, preferring specific qualities to bare aspects and kinds of
/// product.
/// Every sentence comes from <see cref="AspectLexicon"/>, so no brand, product name, delivery or price can appear.
/// </summary>
public sealed class LexiconPreferenceExtractor(int maxPreferences = 5, bool itemTextOnly = false) : IPreferenceExtractor
{
    /// <summary>The name stored with preferences this extractor wrote from reviews, so a store says where its rows came from.</summary>
    public const string ExtractorName = "builtin-lexicon-v1";

    /// <summary>
    /// The name it records over a dataset without any review text (Amazon 2014 Beauty as published): every preference
    /// then comes from the titles and attributes of the items in the window, each purchase counting as liked, so the
    /// preferences say what kinds of item the user bought, never what they wrote.
    /// </summary>
    public const string ItemTextName = ExtractorName + "/item-text";

    /// <summary>Recorded as the source of the sentiments it writes.</summary>
    public const string SentimentSource = "lexicon";

    private const double TitleWeight = 0.4;
    private const double RecencyStep = 0.15;
    private const double MinimumScore = 0.2;
    private const int PerAspect = 2;

    private readonly ConditionalWeakTable<Interaction, Evidence[]> cache = new();

    /// <inheritdoc/>
    public string Name => itemTextOnly ? ItemTextName : ExtractorName;
    /// <inheritdoc/>
    public string? Model => null;
    /// <inheritdoc/>
    public bool IsDeterministic => true;

    /// <inheritdoc/>
    public bool Fits(string prompt) => true;

    /// <inheritdoc/>
    public Task<ExtractionAttempt> ExtractAsync(ReviewWindow window, string prompt, int attempt, CancellationToken cancellationToken) =>
        Task.FromResult(Extract(window));

    /// <summary>The extractor for <paramref name="dataset"/>, named <see cref="ItemTextName"/> when it holds no review text.</summary>
    public static LexiconPreferenceExtractor For(Dataset dataset) =>
        new(itemTextOnly: !dataset.Users.Any(u => u.Interactions.Any(i => !string.IsNullOrWhiteSpace(i.ReviewText) || !string.IsNullOrWhiteSpace(i.Summary))));

    /// <summary>Reads preferences from a window's reviews at once, without a model.</summary>
    public ExtractionAttempt Extract(ReviewWindow window)
    {
        var byKey = new Dictionary<string, Tally>(StringComparer.Ordinal);
        for (var i = 0; i < window.Entries.Count; i++)
        {
            var recency = 1 + RecencyStep * i;
            foreach (var evidence in EvidenceOf(window.Entries[i]))
            {
                if (!byKey.TryGetValue(evidence.Feature.Key, out var tally))
                    byKey[evidence.Feature.Key] = tally = new Tally(evidence.Feature);
                tally.Add(evidence, evidence.Weight * recency);
            }
        }

        var candidates = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        foreach (var tally in byKey.Values)
        {
            var (text, sentiment, score) = tally.Winner();
            if (score <= 0) continue;
            candidates[text] = candidates.TryGetValue(text, out var same)
                ? same with { Score = same.Score + score }
                : new Candidate(text, sentiment, score, tally.Feature);
        }

        var chosen = Choose(candidates.Values);
        return chosen.Count == 0
            ? ExtractionAttempt.Failure("no preference could be read from the window's reviews (they name no known quality, need or kind of product)")
            : ExtractionAttempt.Success(chosen, SentimentSource);
    }

    private List<UserPreference> Choose(IEnumerable<Candidate> candidates)
    {
        var ordered = candidates
            .Where(c => c.Score >= MinimumScore)
            .OrderBy(c => Rank(c.Feature.Kind))
            .ThenByDescending(c => c.Score)
            .ThenBy(c => c.Text, StringComparer.Ordinal)
            .ToList();
        var perAspect = new Dictionary<string, int>(StringComparer.Ordinal);
        var chosen = new List<Candidate>();
        foreach (var candidate in ordered)
        {
            if (chosen.Count == maxPreferences) break;
            var aspect = candidate.Feature.Aspect;
            var count = perAspect.GetValueOrDefault(aspect);
            if (count >= PerAspect) continue;
            if (candidate.Feature.Kind == FeatureKind.Generic && count > 0) continue;
            if (candidate.Feature.Kind == FeatureKind.ProductType && chosen.Any(c => c.Feature.Kind == FeatureKind.ProductType)) continue;
            perAspect[aspect] = count + 1;
            chosen.Add(candidate);
        }
        return chosen.OrderByDescending(c => c.Score).ThenBy(c => c.Text, StringComparer.Ordinal)
            .Select(c => new UserPreference(c.Text, c.Sentiment)).ToList();
    }

    /// <summary>Specific statements first (qualities, "free of", needs), then bare aspects, then kinds of product.</summary>
    private static int Rank(FeatureKind kind) => kind switch
    {
        FeatureKind.Generic => 1,
        FeatureKind.ProductType => 2,
        _ => 0,
    };

    private Evidence[] EvidenceOf(ReviewedItem entry) =>
        cache.GetValue(entry.Interaction, _ => Read(entry));

    private static Evidence[] Read(ReviewedItem entry)
    {
        var (item, interaction) = (entry.Item, entry.Interaction);
        var ratingSign = interaction.Rating switch
        {
            >= 4 => 1,
            <= 2 => -1,
            _ => 0,
        };
        var evidence = new List<Evidence>();
        ReviewAnalyzer.Analyze(interaction.Summary, ratingSign, 1, opinions: true, evidence);
        ReviewAnalyzer.Analyze(interaction.ReviewText, ratingSign, 1, opinions: true, evidence);
        // Without a review, the title and attributes say what the item is and the rating (a purchase without one counts as
        // liked) how it landed. With one, they would only add noise: titles name shades and brands that read like qualities.
        if (string.IsNullOrWhiteSpace(interaction.ReviewText) && string.IsNullOrWhiteSpace(interaction.Summary))
        {
            var titleSign = interaction.Rating is null ? 1 : ratingSign;
            ReviewAnalyzer.Analyze(item.Title, titleSign, TitleWeight, opinions: false, evidence);
            foreach (var attribute in item.Categories.Concat(item.Attributes))
                ReviewAnalyzer.Analyze(attribute, titleSign, TitleWeight, opinions: false, evidence);
        }
        return [.. evidence];
    }

    private sealed record Candidate(string Text, PreferenceSentiment Sentiment, double Score, Feature Feature);

    /// <summary>Evidence for one feature, both ways.</summary>
    private sealed class Tally(Feature feature)
    {
        private readonly Dictionary<(string Text, PreferenceSentiment Sentiment), double> byText = [];
        private double positive;
        private double negative;

        public Feature Feature { get; } = feature;

        public void Add(Evidence evidence, double weight)
        {
            byText[(evidence.Text, evidence.Sentiment)] = byText.GetValueOrDefault((evidence.Text, evidence.Sentiment)) + weight;
            if (evidence.Sentiment == PreferenceSentiment.Positive) positive += weight;
            else negative += weight;
        }

        /// <summary>The stronger side's best sentence; its score is discounted by the evidence against it.</summary>
        public (string Text, PreferenceSentiment Sentiment, double Score) Winner()
        {
            var sentiment = positive >= negative ? PreferenceSentiment.Positive : PreferenceSentiment.Negative;
            var (won, lost) = sentiment == PreferenceSentiment.Positive ? (positive, negative) : (negative, positive);
            var best = byText.Where(p => p.Key.Sentiment == sentiment)
                .OrderByDescending(p => p.Value).ThenBy(p => p.Key.Text, StringComparer.Ordinal).First();
            return (best.Key.Text, sentiment, won - 0.5 * lost);
        }
    }
}
