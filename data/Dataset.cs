namespace Mender.Data;

/// <summary>An in-memory dataset: items, and users whose interactions refer to items by dense id.</summary>
public sealed class Dataset(string name, IReadOnlyList<Item> items, IReadOnlyList<User> users)
{
    private int interactionCount = -1;

    /// <summary>The dataset's name, used for artefact folders.</summary>
    public string Name { get; } = name;

    /// <summary>The catalogue, indexed by item id.</summary>
    public IReadOnlyList<Item> Items { get; } = items;

    /// <summary>The users, indexed by user id, each with their interactions oldest first.</summary>
    public IReadOnlyList<User> Users { get; } = users;

    /// <summary>Where the data came from, for people: format and files, e.g. "sequence format: /data/beauty/sequences.txt".</summary>
    public string Source { get; init; } = "";

    /// <summary>What loading skipped, merged or filtered. Empty for data built in memory.</summary>
    public LoadReport Report { get; init; } = new();

    /// <summary>Interactions of all users together.</summary>
    public int InteractionCount
    {
        get
        {
            if (interactionCount < 0)
            {
                var total = 0;
                foreach (var user in Users) total += user.Interactions.Count;
                interactionCount = total;
            }
            return interactionCount;
        }
    }

    /// <summary>Counts and history lengths of the dataset.</summary>
    public DatasetStats Stats() => DatasetStats.Compute(this);

    /// <summary>
    /// Checks the invariants the rest of the system relies on: dense ids equal to positions, interactions that refer to
    /// existing items, and histories in chronological order.
    /// </summary>
    public void Validate()
    {
        for (var i = 0; i < Items.Count; i++)
            if (Items[i].Id != i)
                throw new InvalidDataException($"dataset '{Name}': item at position {i} has id {Items[i].Id}");
        for (var u = 0; u < Users.Count; u++)
        {
            var user = Users[u];
            if (user.Id != u)
                throw new InvalidDataException($"dataset '{Name}': user at position {u} has id {user.Id}");
            long previous = long.MinValue;
            foreach (var interaction in user.Interactions)
            {
                if ((uint)interaction.ItemId >= (uint)Items.Count)
                    throw new InvalidDataException(
                        $"dataset '{Name}': user '{user.ExternalId}' refers to item {interaction.ItemId} of {Items.Count}");
                if (interaction.Timestamp < previous)
                    throw new InvalidDataException($"dataset '{Name}': history of user '{user.ExternalId}' is not chronological");
                previous = interaction.Timestamp;
            }
        }
    }
}
