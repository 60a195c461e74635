using Mender.Data;
using Mender.Data.Text;
using Mender.Preference.Conversation;
using Mender.Recommender.ColdStart;

namespace Mender.Service.Pipeline;

/// <summary>
/// The first stage: checks a request's fields and resolves its user and item ids. A bad field is an
/// <see cref="ArgumentException"/> whose ParamName is the field, an unknown id a <see cref="KeyNotFoundException"/>.
/// </summary>
internal sealed class RequestResolver
{
    public const int MaxPreferenceChars = 1000;
    public const int MaxTurns = 50;

    private readonly Dataset dataset;
    private readonly RecommendationServiceOptions options;
    private readonly int defaultBeam;
    private readonly bool readsPreference;
    private readonly Func<ColdStartCatalog?> coldStart;
    private readonly Dictionary<string, int> itemIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> userIndex = new(StringComparer.Ordinal);

    /// <param name="dataset">The checkpoint's dataset.</param>
    /// <param name="options">The service's limits (largest k, longest history).</param>
    /// <param name="defaultBeam">The beam width the checkpoint was evaluated with.</param>
    /// <param name="readsPreference">False for a tiger-mode checkpoint, which needs a history.</param>
    /// <param name="coldStart">The cold-start items as they are now.</param>
    public RequestResolver(Dataset dataset, RecommendationServiceOptions options, int defaultBeam, bool readsPreference, Func<ColdStartCatalog?> coldStart)
    {
        this.dataset = dataset;
        this.options = options;
        this.defaultBeam = defaultBeam;
        this.readsPreference = readsPreference;
        this.coldStart = coldStart;
        foreach (var item in dataset.Items) itemIndex.TryAdd(item.ExternalId, item.Id);
        foreach (var user in dataset.Users) userIndex.TryAdd(user.ExternalId, user.Id);
    }

    /// <summary>The largest beam a request may ask for.</summary>
    public int MaxBeam => Math.Max(4 * options.MaxK, 256);

    /// <param name="request">The request.</param>
    /// <param name="canReason">Whether a language model is loaded, which reasoning mode needs.</param>
    public ResolvedRequest Resolve(RecommendationRequest request, bool canReason)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Reasoning && !canReason)
            throw new InvalidOperationException("reasoning mode needs a language model, and this service was opened without one");
        if (request.K < 1 || request.K > options.MaxK)
            throw new ArgumentException($"k must be between 1 and {options.MaxK}, got {request.K}", "k");
        var beam = request.Beam ?? Math.Min(MaxBeam, Math.Max(defaultBeam, 2 * request.K));
        if (beam < request.K || beam > MaxBeam)
            throw new ArgumentException($"beam must be between k ({request.K}) and {MaxBeam}, got {beam}", "beam");
        if (!float.IsFinite(request.Temperature) || request.Temperature < 0)
            throw new ArgumentException($"temperature must be 0 or more, got {request.Temperature}", "temperature");
        var typed = string.IsNullOrWhiteSpace(request.Preference) ? null : request.Preference.Trim();
        if (typed is not null && typed.Length > MaxPreferenceChars)
            throw new ArgumentException($"the preference is {typed.Length} characters long; at most {MaxPreferenceChars} are allowed", "preference");
        var turns = Turns(request);
        // The rules' combination is the preference until an LLM does better, and what is used when it cannot.
        if (turns is not null) typed = ConversationPreference.Combine(turns) is { IsEmpty: false } combined ? combined.Text : null;
        if (request.History is { Count: var given } && given > options.MaxHistory)
            throw new ArgumentException($"the history has {given} items; at most {options.MaxHistory} are allowed", "history");

        var entries = new List<HistoryEntry>();
        var modelHistory = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (request.UserId is { } userId)
        {
            var user = User(userId);
            foreach (var interaction in user.Interactions.Skip(Math.Max(0, user.Interactions.Count - options.MaxHistory)))
            {
                var item = dataset.Items[interaction.ItemId];
                entries.Add(new HistoryEntry(item, interaction));
                modelHistory.Add(item.Id);
                seen.Add(item.ExternalId);
            }
        }
        if (request.History is { } history)
        {
            var catalog = history.Count > 0 ? coldStart() : null;
            for (var i = 0; i < history.Count; i++)
            {
                var id = history[i]?.Trim();
                if (string.IsNullOrEmpty(id)) throw new ArgumentException($"history item {i + 1} is empty", "history");
                if (itemIndex.TryGetValue(id, out var dense))
                {
                    entries.Add(new HistoryEntry(dataset.Items[dense], null));
                    modelHistory.Add(dense);
                }
                else if (catalog?.Items.FirstOrDefault(c => c.ItemId == id) is { } coldItem)
                    entries.Add(new HistoryEntry(coldItem.ToItem(), null));
                else
                    throw new KeyNotFoundException($"item '{Excerpt.Of(id)}' is neither in the catalogue of '{dataset.Name}' nor a cold-start item");
                seen.Add(id);
            }
        }
        var resolved = new ResolvedRequest(request, entries, modelHistory.ToArray(), request.ExcludeHistory ? seen : new HashSet<string>(),
            beam, typed, turns);
        if (modelHistory.Count == 0 && !(readsPreference && (typed is not null || request.Reasoning))) throw NothingToGoOn();
        return resolved;
    }

    /// <summary>Thrown when neither the history nor the preference leaves anything to recommend from.</summary>
    public ArgumentException NothingToGoOn() => new(readsPreference
        ? "give a user_id or a history of catalogue items, or a preference"
        : "give a user_id or a history of catalogue items (this tiger-mode checkpoint reads no preference)", "history");

    /// <summary>A catalogue item by its external id.</summary>
    public Item Item(string id) => itemIndex.TryGetValue(id.Trim(), out var dense)
        ? dataset.Items[dense]
        : throw new KeyNotFoundException($"item '{Excerpt.Of(id)}' is not in the catalogue of dataset '{dataset.Name}'");

    /// <summary>A user of the dataset by their external id.</summary>
    public User User(string id) => userIndex.TryGetValue(id.Trim(), out var dense)
        ? dataset.Users[dense]
        : throw new KeyNotFoundException($"user '{Excerpt.Of(id)}' is not in dataset '{dataset.Name}'");

    private static IReadOnlyList<string>? Turns(RecommendationRequest request)
    {
        if (request.Turns is not { } turns) return null;
        if (request.Preference is not null) throw new ArgumentException("give the preference as one text or as the turns of a conversation, not both", "turns");
        if (turns.Count > MaxTurns) throw new ArgumentException($"the conversation has {turns.Count} turns; at most {MaxTurns} are read", "turns");
        var kept = new List<string>(turns.Count);
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i]?.Trim() ?? throw new ArgumentException($"turn {i + 1} is null", "turns");
            if (turn.Length > MaxPreferenceChars)
                throw new ArgumentException($"turn {i + 1} is {turn.Length} characters long; at most {MaxPreferenceChars} are allowed", "turns");
            if (turn.Length > 0) kept.Add(turn);
        }
        return kept;
    }
}
