using Mender.Benchmark.Axes;
using Mender.Preference.Storage;

namespace Mender.Cli.Tests;

/// <summary>The libraries report what is wrong (a preference store, a benchmark folder); the command line adds what to do about it.</summary>
public class UserMessageTests
{
    [Fact]
    public void AMismatchedStoreSuggestsAnotherOutFolder()
    {
        var message = UserMessage.Of(new PreferenceStoreMismatchException("/tmp/p/preferences.db", "preference store '/tmp/p/preferences.db' holds dataset 'a', not 'b'"));
        Assert.Contains("holds dataset 'a'", message);
        Assert.Contains("another --out", message);
    }

    [Fact]
    public void AMissingStoreSuggestsExtractingPreferences()
    {
        var message = UserMessage.Of(new PreferenceStoreMissingException("/tmp/nowhere", "/tmp/nowhere/preferences.db"));
        Assert.Contains("no preference store", message);
        Assert.Contains("mender preferences extract", message);
    }

    [Fact]
    public void AMissingBenchmarkSuggestsBuildingIt()
    {
        var message = UserMessage.Of(new BenchmarkMissingException("/tmp/bench", "/tmp/bench/manifest.json"));
        Assert.Contains("no benchmark in '/tmp/bench'", message);
        Assert.EndsWith("(run `mender bench build` first)", message);
    }
}
