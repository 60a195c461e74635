using Mender.Server.Bench;

namespace Mender.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class LoadTests(TrainedCheckpoint checkpoint)
{
    [Fact]
    public async Task AClosedLoopLoadCountsEveryRequestAndItsLatency()
    {
        await using var host = await TestHost.LoopbackAsync(new ServerOptions { Service = checkpoint.Service, MaxConcurrency = 2 });
        var users = checkpoint.Dataset.Users.Take(10).Select(u => u.ExternalId).ToArray();
        var result = await ServeLoad.RunAsync(host.Address, users, new ServeLoadOptions { Concurrency = 2, Requests = 24, Warmup = 2, K = 5 });

        Assert.Equal(24, result.Requests);
        Assert.Equal(0, result.Failed);
        Assert.Equal(24, result.Statuses[200]);
        Assert.True(result.P50Ms > 0 && result.P50Ms <= result.P90Ms && result.P90Ms <= result.P99Ms && result.P99Ms <= result.MaxMs);
        Assert.True(result.RequestsPerSecond > 0);
        Assert.Equal(0, result.MeanCompletionTokens);
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("mender_http_requests_total{route=\"/v1/recommendations\",method=\"POST\",status=\"200\"} 26", metrics);
    }

    [Fact]
    public async Task OnlyLoopbackIsLoaded() =>
        await Assert.ThrowsAsync<ArgumentException>(() => ServeLoad.RunAsync(new Uri("http://192.0.2.1:8080"), ["u"], new ServeLoadOptions()));

    [Theory]
    [InlineData(0.50, 5)]
    [InlineData(0.90, 9)]
    [InlineData(0.99, 10)]
    [InlineData(0.01, 1)]
    public void PercentilesAreNearestRank(double p, double expected) =>
        Assert.Equal(expected, ServeLoad.Percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p));
}
