namespace Mender.Data;

/// <summary>
/// The k-core of a dataset: the largest subset in which every user and every item has at least k interactions.
/// Removing sparse users can make items sparse and the other way round, so it repeats until nothing changes.
/// Kept users and items get new dense ids in their previous order; histories keep their order.
/// </summary>
public static class KCoreFilter
{
    /// <summary>The dataset with every user and item of fewer than <paramref name="k"/> interactions removed, repeated until none is left.</summary>
    public static Dataset Apply(Dataset dataset, int k)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var users = dataset.Users;
        var userAlive = new bool[users.Count];
        var itemAlive = new bool[dataset.Items.Count];
        var itemCount = new int[dataset.Items.Count];
        foreach (var user in users)
            foreach (var interaction in user.Interactions)
                itemCount[interaction.ItemId]++;
        Array.Fill(userAlive, true);
        for (var i = 0; i < itemAlive.Length; i++) itemAlive[i] = itemCount[i] >= k;

        var rounds = 0;
        bool changed;
        do
        {
            changed = false;
            rounds++;
            for (var u = 0; u < users.Count; u++)
            {
                if (!userAlive[u]) continue;
                var history = users[u].Interactions;
                var alive = 0;
                foreach (var interaction in history)
                    if (itemAlive[interaction.ItemId]) alive++;
                if (alive >= k) continue;
                // An item that falls below k here shortens other users' live histories; the next pass recounts them.
                userAlive[u] = false;
                changed = true;
                foreach (var interaction in history)
                {
                    var item = interaction.ItemId;
                    if (itemAlive[item] && --itemCount[item] < k)
                        itemAlive[item] = false;
                }
            }
        }
        while (changed);

        var newItemId = new int[itemAlive.Length];
        var items = new List<Item>();
        for (var i = 0; i < itemAlive.Length; i++)
        {
            newItemId[i] = -1;
            if (!itemAlive[i]) continue;
            newItemId[i] = items.Count;
            items.Add(dataset.Items[i] with { Id = items.Count });
        }
        var kept = new List<User>();
        long interactions = 0;
        for (var u = 0; u < users.Count; u++)
        {
            if (!userAlive[u]) continue;
            var history = users[u].Interactions
                .Where(x => itemAlive[x.ItemId])
                .Select(x => x with { ItemId = newItemId[x.ItemId] })
                .ToArray();
            interactions += history.Length;
            kept.Add(new User(kept.Count, users[u].ExternalId, history));
        }

        var report = dataset.Report.Copy();
        report.AddNote(
            $"{k}-core filter: kept {kept.Count} of {users.Count} users, {items.Count} of {dataset.Items.Count} items, " +
            $"{interactions} of {dataset.InteractionCount} interactions ({rounds} rounds)");
        return new Dataset(dataset.Name, items, kept) { Source = dataset.Source, Report = report };
    }
}
