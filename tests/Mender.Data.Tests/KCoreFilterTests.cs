using Mender.Data;

namespace Mender.Data.Tests;

public class KCoreFilterTests
{
    [Fact]
    public void IteratesUntilUsersAndItemsBothHaveK()
    {
        // Item 4 is below k, which leaves user 3 short; without user 3 item 3 is below k, which leaves user 2 short,
        // and without user 2 item 2 goes too: only items 0 and 1 survive, with the users who bought both.
        var dataset = Fixtures.Histories(5,
            [0, 1],
            [0, 1, 2],
            [2, 3],
            [3, 4],
            [0, 1]);

        var core = KCoreFilter.Apply(dataset, 2);

        Assert.Equal(["i0", "i1"], core.Items.Select(i => i.ExternalId));
        Assert.Equal([0, 1], core.Items.Select(i => i.Id));
        Assert.Equal(["u0", "u1", "u4"], core.Users.Select(u => u.ExternalId));
        Assert.Equal([0, 1, 2], core.Users.Select(u => u.Id));
        Assert.Equal([0, 1], core.Users[1].Interactions.Select(i => i.ItemId));
        core.Validate();
        foreach (var user in core.Users) Assert.True(user.Interactions.Count >= 2);
        foreach (var group in core.Users.SelectMany(u => u.Interactions).GroupBy(i => i.ItemId)) Assert.True(group.Count() >= 2);
    }

    [Fact]
    public void KeepsTimestampsAndReviewsAndRemapsItems()
    {
        var items = Enumerable.Range(0, 3).Select(i => new Item(i, $"i{i}", $"t{i}")).ToArray();
        User[] users =
        [
            new(0, "a", [new Interaction(0, 5, 1f, "s", "r"), new Interaction(2, 7, 5f)]),
            new(1, "b", [new Interaction(2, 1), new Interaction(1, 2)]),
            new(2, "c", [new Interaction(2, 3), new Interaction(0, 4)]),
        ];

        var core = KCoreFilter.Apply(new Dataset("d", items, users), 2);

        Assert.Equal(["i0", "i2"], core.Items.Select(i => i.ExternalId));
        Assert.Equal(["a", "c"], core.Users.Select(u => u.ExternalId));
        Assert.Equal(new Interaction(0, 5, 1f, "s", "r"), core.Users[0].Interactions[0]);
        Assert.Equal(new Interaction(1, 7, 5f), core.Users[0].Interactions[1]);
    }

    [Fact]
    public void OneCoreDropsOnlyItemsWithoutInteractions()
    {
        var dataset = Fixtures.Histories(4, [0, 2], [2]);
        var core = KCoreFilter.Apply(dataset, 1);
        Assert.Equal(["i0", "i2"], core.Items.Select(i => i.ExternalId));
        Assert.Equal(2, core.Users.Count);
    }

    [Fact]
    public void HighKEmptiesTheDataset()
    {
        var core = KCoreFilter.Apply(Fixtures.Histories(3, [0, 1, 2], [0, 1]), 5);
        Assert.Empty(core.Users);
        Assert.Empty(core.Items);
    }
}
