using Mender.Cluster.Jobs;
using Mender.Data;
using Mender.Data.Demo;

namespace Mender.Cluster.Tests;

public class DatasetFingerprintTests
{
    [Fact]
    public void AnyChangedReviewChangesTheFingerprintAndIsRefusedNamingThePath()
    {
        var dataset = DemoWorld.Generate(new DemoWorldOptions { Users = 20, Items = 60 }).Dataset;
        var user = dataset.Users[3];
        var edited = user.Interactions.Select((x, i) => i == 1 ? x with { ReviewText = x.ReviewText + "!" } : x).ToList();
        var other = new Dataset(dataset.Name, dataset.Items, dataset.Users.Select(u => u.Id == user.Id ? u with { Interactions = edited } : u).ToList());

        Assert.Equal(DatasetFingerprint.Of(dataset), DatasetFingerprint.Of(dataset));
        Assert.NotEqual(DatasetFingerprint.Of(dataset), DatasetFingerprint.Of(other));
        var error = Assert.Throws<InvalidDataException>(() => DatasetFingerprint.Check(DatasetFingerprint.Of(dataset), other, "/data/beauty", "silo s1"));
        Assert.Contains("silo s1 sees another dataset at '/data/beauty'", error.Message);
    }
}
