using Mender.Data;

namespace Mender.Data.Tests;

/// <summary>Small in-memory datasets: each user's history is given as item ids, timestamps are positions.</summary>
internal static class Fixtures
{
    public static Dataset Histories(int items, params int[][] histories)
    {
        var catalogue = Enumerable.Range(0, items).Select(i => new Item(i, $"i{i}", $"item {i}")).ToArray();
        var users = histories
            .Select((h, u) => new User(u, $"u{u}", h.Select((item, t) => new Interaction(item, t)).ToArray()))
            .ToArray();
        return new Dataset("fixture", catalogue, users);
    }
}
