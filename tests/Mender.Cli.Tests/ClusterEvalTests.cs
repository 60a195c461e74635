namespace Mender.Cli.Tests;

/// <summary>`mender eval --cluster`: the cases shared out among silos give exactly the single-process figures.</summary>
[Collection(TrainedDemoRun.Collection)]
public sealed class ClusterEvalTests(TrainedDemoRun run) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mender-cli-cluster-eval-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [PostgresFact]
    public void TwoSilosGiveExactlyTheSingleProcessFiguresAndLists()
    {
        var cluster = TestPostgres.CreateDatabase();
        using var first = SiloProcess.Start(folder, cluster);
        using var second = SiloProcess.Start(folder, cluster);
        first.WaitJoined();
        second.WaitJoined();

        foreach (var what in new[] { new[] { "--checkpoint", run.Checkpoint }, new[] { "--baseline", "most-popular" } })
        {
            var name = what[1] == "most-popular" ? "popular" : "mender";
            // 150 cases: three slices of whole batches (64, 64, 22), so both silos get work.
            string[] eval = ["eval", run.Dataset, .. what, "--limit", "150", "--json"];
            var single = CliRunner.RunIn(run.Root, [.. eval, "--per-user", Path.Combine(folder, name + "-single.jsonl")]);
            Assert.True(single.ExitCode == 0, single.Stderr);
            var shared = CliRunner.RunIn(run.Root, [.. eval, "--cluster", cluster, "--per-user", Path.Combine(folder, name + "-cluster.jsonl")]);
            Assert.True(shared.ExitCode == 0, shared.Stderr + first.Stderr + second.Stderr);

            foreach (var metric in new[] { "recall@5", "recall@10", "ndcg@5", "ndcg@10", "users" })
                Assert.Equal(single.Json().GetProperty(metric).GetRawText(), shared.Json().GetProperty(metric).GetRawText());
            Assert.Equal(File.ReadAllText(Path.Combine(folder, name + "-single.jsonl")), File.ReadAllText(Path.Combine(folder, name + "-cluster.jsonl")));
        }
    }

    [PostgresFact]
    public void WithoutARunningSiloTheEvaluationSaysHowToStartOne()
    {
        var cluster = TestPostgres.CreateDatabase();

        var result = CliRunner.RunIn(run.Root, "eval", run.Dataset, "--checkpoint", run.Checkpoint, "--cluster", cluster);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is running; start one with `mender cluster silo --cluster …`", result.Stderr);
    }
}
