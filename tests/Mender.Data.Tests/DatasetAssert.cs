using Mender.Data;

namespace Mender.Data.Tests;

/// <summary>Field-by-field dataset equality (records holding lists compare those by reference).</summary>
internal static class DatasetAssert
{
    public static void Equal(Dataset expected, Dataset actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Items.Count, actual.Items.Count);
        for (var i = 0; i < expected.Items.Count; i++)
        {
            var (e, a) = (expected.Items[i], actual.Items[i]);
            Assert.Equal((e.Id, e.ExternalId, e.Title, e.Brand, e.Price, e.Description), (a.Id, a.ExternalId, a.Title, a.Brand, a.Price, a.Description));
            Assert.Equal(e.Categories, a.Categories);
            Assert.Equal(e.Attributes, a.Attributes);
        }
        Assert.Equal(expected.Users.Count, actual.Users.Count);
        for (var u = 0; u < expected.Users.Count; u++)
        {
            var (e, a) = (expected.Users[u], actual.Users[u]);
            Assert.Equal((e.Id, e.ExternalId), (a.Id, a.ExternalId));
            Assert.Equal(e.Interactions, a.Interactions);
        }
    }
}
