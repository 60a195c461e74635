namespace Mender.Data.Formats;

/// <summary>
/// Collects items and interactions keyed by the source's ids and hands out dense ids in order of first appearance.
/// <see cref="Build"/> orders every history chronologically (stable: equal timestamps keep their file order) and drops
/// users who ended up with no interactions.
/// </summary>
internal sealed class DatasetBuilder
{
    private readonly Dictionary<string, int> itemIndex = new(StringComparer.Ordinal);
    private readonly List<Item> items = [];
    private readonly Dictionary<string, int> userIndex = new(StringComparer.Ordinal);
    private readonly List<string> userIds = [];
    private readonly List<List<Interaction>> histories = [];

    public int ItemCount => items.Count;
    public int UserCount => userIds.Count;

    public bool TryGetItem(string externalId, out int id) => itemIndex.TryGetValue(externalId, out id);

    public Item GetItem(int id) => items[id];

    /// <summary>Adds a catalogue item (its Id is assigned here). Returns -1 when the external id is already present.</summary>
    public int AddItem(Item item)
    {
        if (itemIndex.ContainsKey(item.ExternalId)) return -1;
        var id = items.Count;
        itemIndex.Add(item.ExternalId, id);
        items.Add(item with { Id = id });
        return id;
    }

    /// <summary>The id of an item, created with its external id as title when it has not been seen yet.</summary>
    public int ItemFor(string externalId)
    {
        if (itemIndex.TryGetValue(externalId, out var id)) return id;
        return AddItem(new Item(0, externalId, externalId));
    }

    public void SetItem(int id, Item item) => items[id] = item with { Id = id };

    public bool HasUser(string externalId) => userIndex.ContainsKey(externalId);

    public int UserFor(string externalId)
    {
        if (userIndex.TryGetValue(externalId, out var id)) return id;
        id = userIds.Count;
        userIndex.Add(externalId, id);
        userIds.Add(externalId);
        histories.Add([]);
        return id;
    }

    public int HistoryLength(int user) => histories[user].Count;

    public void Add(int user, Interaction interaction) => histories[user].Add(interaction);

    public Dataset Build(string name, string source, LoadReport report)
    {
        var users = new List<User>(userIds.Count);
        var empty = 0;
        for (var u = 0; u < userIds.Count; u++)
        {
            var history = histories[u];
            if (history.Count == 0)
            {
                empty++;
                continue;
            }
            users.Add(new User(users.Count, userIds[u], Chronological(history)));
        }
        if (empty > 0) report.AddNote($"{empty} users without interactions left out");
        var dataset = new Dataset(name, items.ToArray(), users) { Source = source, Report = report };
        dataset.Validate();
        return dataset;
    }

    private static Interaction[] Chronological(List<Interaction> history)
    {
        var sorted = true;
        for (var i = 1; i < history.Count && sorted; i++)
            sorted = history[i - 1].Timestamp <= history[i].Timestamp;
        // OrderBy is a stable sort, which keeps same-day reviews in file order.
        return sorted ? history.ToArray() : history.OrderBy(i => i.Timestamp).ToArray();
    }
}
