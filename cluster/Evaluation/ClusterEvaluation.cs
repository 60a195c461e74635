using Mender.Benchmark.Runs;
using Mender.Cluster.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Mender.Cluster.Evaluation;

/// <summary>
/// The submitting side of a cluster evaluation: the cases are cut into slices that start at multiples of
/// <see cref="EvaluationTarget.BatchSize"/>, the slices go to shard grains spread over the silos, and their lists come back
/// in case order, for the caller to score as one run. A slice whose silo dies is asked again of another.
/// </summary>
public static class ClusterEvaluation
{
    private const int SlicesPerSilo = 4;
    private const int Attempts = 3;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromHours(6);

    /// <summary>Each case's list, in case order; <paramref name="progress"/> hears (slices done, slices) and the silo that did the last.</summary>
    /// <param name="connection">The cluster.</param>
    /// <param name="request">What is evaluated, as every silo opens it.</param>
    /// <param name="cases">How many cases the evaluation has.</param>
    /// <param name="progress">Hears each finished slice.</param>
    /// <param name="cancellationToken">Stops waiting (the silos finish the slices in hand).</param>
    public static async Task<int[][]> RunAsync(ClusterConnection connection, EvaluationRequest request, int cases,
        Action<(int Done, int Total, string Silo)> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(progress);
        using var host = await ClusterClient.ConnectAsync(connection, CallTimeout, cancellationToken).ConfigureAwait(false);
        var client = host.Services.GetRequiredService<IClusterClient>();
        var silos = (await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken).ConfigureAwait(false)).Count;
        var slices = Slices(cases, Math.Max(1, silos) * SlicesPerSilo);
        var run = Guid.NewGuid().ToString("N");
        var lists = new int[cases][];
        var done = 0;
        await Task.WhenAll(slices.Select(async (slice, index) =>
        {
            var shard = await EvaluateAsync(client, request, $"{run}/{index}", slice.Start, slice.Count, cancellationToken).ConfigureAwait(false);
            if (shard.Lists.Length != slice.Count) throw new InvalidDataException($"slice {index} came back with {shard.Lists.Length} lists for {slice.Count} cases");
            Array.Copy(shard.Lists, 0, lists, slice.Start, slice.Count);
            progress((Interlocked.Increment(ref done), slices.Count, shard.Silo));
        })).ConfigureAwait(false);
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return lists;
    }

    /// <summary>Cuts <paramref name="cases"/> into at most <paramref name="wanted"/> slices of whole batches (the last may be shorter).</summary>
    public static IReadOnlyList<(int Start, int Count)> Slices(int cases, int wanted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cases);
        ArgumentOutOfRangeException.ThrowIfLessThan(wanted, 1);
        var batches = (cases + EvaluationTarget.BatchSize - 1) / EvaluationTarget.BatchSize;
        var perSlice = Math.Max(1, (batches + wanted - 1) / wanted) * EvaluationTarget.BatchSize;
        var slices = new List<(int, int)>();
        for (var start = 0; start < cases; start += perSlice) slices.Add((start, Math.Min(perSlice, cases - start)));
        return slices;
    }

    private static async Task<EvaluationShard> EvaluateAsync(IClusterClient client, EvaluationRequest request, string key, int start, int count,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // A new key each attempt: the activation of the failed one may still be registered on the dead silo.
                return await client.GetGrain<IEvaluationShardGrain>($"{key}/{attempt}").EvaluateAsync(request, start, count)
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < Attempts && ex is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
            {
            }
        }
    }
}
