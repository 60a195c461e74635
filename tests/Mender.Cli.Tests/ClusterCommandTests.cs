using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Mender.Cluster.Jobs;
using Mender.Cluster.Storage;
using Mender.Preference.Extraction;
using Mender.Data;
using Npgsql;

namespace Mender.Cli.Tests;

public sealed class ClusterCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mender-cli-cluster-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [PostgresFact(Shared = true)]
    public void ThreeSilosWithOneKilledMidJobGiveTheSingleProcessTable()
    {
        var data = SharedData.PathOf("data/amazon2018-all-beauty");
        var cluster = TestPostgres.CreateDatabase();
        using var first = SiloProcess.Start(folder, cluster, "--parallel", "1");
        using var second = SiloProcess.Start(folder, cluster, "--parallel", "1");
        using var third = SiloProcess.Start(folder, cluster, "--parallel", "1");
        var victim = first.WaitJoined();
        second.WaitJoined();
        third.WaitJoined();

        var store = Path.Combine(folder, "cluster");
        // Small, short leases: many round trips keep the job running long enough to kill a silo in the middle of it,
        // and the killed silo's lease is free again 5 s later.
        string[] submit = ["preferences", "extract", data, "--cluster", cluster, "--out", store, "--lease-users", "2", "--lease-seconds", "5", "--json"];
        using var submitter = CliRunner.Start(folder, submit);
        submitter.StandardInput.Close();
        var stdout = submitter.StandardOutput.ReadToEndAsync();
        var stderr = submitter.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (Leases(cluster, victim) is not { VictimDone: > 0 } leases || leases.Done == leases.Total)
        {
            if (submitter.HasExited) Assert.Fail("the job ended before a silo could be killed: " + stderr.Result);
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "the silo to kill finished no lease within 3 minutes");
            Thread.Sleep(20);
        }
        first.Kill();

        Assert.True(submitter.WaitForExit(TimeSpan.FromMinutes(5)), "the job did not finish within 5 minutes after the kill");
        submitter.WaitForExit();
        Assert.True(submitter.ExitCode == 0, stderr.Result);
        var summary = JsonDocument.Parse(stdout.Result).RootElement;
        var prompts = summary.GetProperty("prompts").GetInt32();
        Assert.Equal(prompts, summary.GetProperty("exported").GetInt32());

        var single = Path.Combine(folder, "single");
        var alone = CliRunner.Run("preferences", "extract", data, "--out", single, "--json");
        Assert.True(alone.ExitCode == 0, alone.Stderr);
        Assert.Equal(prompts, alone.Json().GetProperty("prompts").GetInt32());
        Assert.Equal(PreferenceCommandTests.Table(single), PreferenceCommandTests.Table(store));
        Assert.Equal(prompts, Scalar(cluster, "SELECT COUNT(DISTINCT (user_id, step)) FROM mender_preferences"));
        Assert.Equal(prompts, Scalar(cluster, "SELECT COUNT(*) FROM mender_preferences"));

        var again = CliRunner.Run(submit);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(summary.GetProperty("job").GetString(), again.Json().GetProperty("job").GetString());
        Assert.Equal(prompts, again.Json().GetProperty("exported").GetInt32());
        Assert.Equal(prompts, Scalar(cluster, "SELECT COUNT(*) FROM mender_preferences"));
    }

    [Fact]
    public void TwoSilosStartedAtOnceMakeALocalClusterThatGivesTheSingleProcessTableAndResumesOnResubmission()
    {
        var data = ReviewFile("Local", users: 24);
        var local = new Dictionary<string, string?> { [LocalCluster.StoreVariable] = Path.Combine(folder, "local", "cluster.db") };
        string[] submit = ["preferences", "extract", data, "--cluster", "localhost", "--out", Path.Combine(folder, "cluster"), "--lease-users", "2", "--json"];

        var none = CliRunner.RunWith(local, submit);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains($"mender: no silo of the cluster at localhost ({local[LocalCluster.StoreVariable]}) is running", none.Stderr);

        // Started at the same instant, both would find the first silo's port free without the start-up lock.
        using var first = SiloProcess.Start(folder, local, "localhost", "--parallel", "1");
        using var second = SiloProcess.Start(folder, local, "localhost", "--parallel", "1");
        Assert.NotEqual(first.WaitJoined(), second.WaitJoined());
        var result = CliRunner.RunWith(local, submit);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var prompts = result.Json().GetProperty("prompts").GetInt32();
        Assert.Equal(24 * 3, prompts);
        Assert.Equal(prompts, result.Json().GetProperty("exported").GetInt32());

        var single = Path.Combine(folder, "single");
        var alone = CliRunner.Run("preferences", "extract", data, "--out", single, "--json");
        Assert.True(alone.ExitCode == 0, alone.Stderr);
        Assert.Equal(PreferenceCommandTests.Table(single), PreferenceCommandTests.Table(Path.Combine(folder, "cluster")));

        var again = CliRunner.RunWith(local, submit);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(result.Json().GetProperty("job").GetString(), again.Json().GetProperty("job").GetString());
        Assert.Equal(prompts, again.Json().GetProperty("exported").GetInt32());
    }

    [Fact]
    public void AnUnreachableClusterOrAWrongConnectionStringIsOneLineAndExitOne()
    {
        var data = ReviewFile("Tiny");
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var unreachable = CliRunner.Run("preferences", "extract", data, "--out", Path.Combine(folder, "u"),
            "--cluster", $"Host=127.0.0.1;Port={port};Username=u;Database=jobs");
        Assert.Equal(1, unreachable.ExitCode);
        var error = Assert.Single(unreachable.Stderr.Trim().Split('\n'), line => line.StartsWith("mender:", StringComparison.Ordinal));
        Assert.StartsWith($"mender: cannot reach the cluster's PostgreSQL at 127.0.0.1:{port}/jobs: ", error);

        foreach (var wrong in new[] { "nonsense", "Port=5432;Database=jobs" })
        {
            var result = CliRunner.Run("cluster", "silo", "--cluster", wrong);
            Assert.Equal(1, result.ExitCode);
            Assert.StartsWith($"mender: --cluster '{wrong}'", result.Stderr);
        }
        Assert.False(File.Exists(Path.Combine(folder, "u", "preferences.db")), "an unreachable cluster left a store behind");
    }

    [Fact]
    public void ASiloTakesItsConnectionStringFromTheEnvironmentWhenNotGiven()
    {
        var none = CliRunner.RunWith(new Dictionary<string, string?> { ["MENDER_CLUSTER"] = null }, "cluster", "silo");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("give --cluster CONN (or set MENDER_CLUSTER)", none.Stderr);

        var fromEnvironment = CliRunner.RunWith(new Dictionary<string, string?> { ["MENDER_CLUSTER"] = "nonsense" }, "cluster", "silo");
        Assert.Equal(1, fromEnvironment.ExitCode);
        Assert.StartsWith("mender: --cluster 'nonsense'", fromEnvironment.Stderr);
    }

    [PostgresFact]
    public void SubmittingWithNoSiloRunningSaysSo()
    {
        var result = CliRunner.Run("preferences", "extract", ReviewFile("Tiny"), "--out", Path.Combine(folder, "n"),
            "--cluster", TestPostgres.CreateDatabase());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("mender: no silo of the cluster at 127.0.0.1:", result.Stderr);
        Assert.Contains("is running; start one with `mender cluster silo --cluster …`", result.Stderr);
    }

    [PostgresFact]
    public async Task ASiloSeeingAnotherDatasetFailsTheJobAndExitsOne()
    {
        var path = ReviewFile("Drift");
        var cluster = TestPostgres.CreateDatabase();
        var request = await Submit(cluster, path, "builtin-lexicon-v1", null);
        File.WriteAllText(path, File.ReadAllText(path).Replace("Lovely", "Awful"));

        using var silo = SiloProcess.Start(folder, cluster);
        Assert.Equal(1, silo.WaitExit());
        Assert.Contains($"sees another dataset at '{path}' than the job was submitted with", silo.Stderr);
        using var connection = await ClusterConnection.OpenAsync(cluster);
        var progress = await new ClusterJobs(connection).ProgressAsync(request.Id, CancellationToken.None);
        Assert.Equal(("failed", 0), (progress.Status, progress.Done));
        Assert.Contains("sees another dataset", progress.Error);
    }

    [PostgresFact]
    public async Task ASiloWithAnotherModelThanTheJobsExitsOneAndWritesNothing()
    {
        var path = ReviewFile("Model");
        var cluster = TestPostgres.CreateDatabase();
        var request = await Submit(cluster, path, "llm-json-v1", "qwen2.5-0.5b");

        using var silo = SiloProcess.Start(folder, cluster);
        Assert.Equal(1, silo.WaitExit());
        Assert.Contains($"job {request.Id} needs 'llm-json-v1' with model 'qwen2.5-0.5b', but silo", silo.Stderr);
        Assert.Equal(0, Scalar(cluster, "SELECT COUNT(*) FROM mender_preferences"));
        Assert.Equal(0, Scalar(cluster, "SELECT COUNT(*) FROM mender_leases WHERE takes > 0"));
    }

    /// <summary>Records a job the way a submitter would, without waiting for it.</summary>
    private static async Task<JobRequest> Submit(string cluster, string path, string extractor, string? model)
    {
        var request = JobPlanner.Plan(DatasetLoader.Load(path), path, new ExtractionOptions(), extractor, model, leaseUsers: 2, leaseSeconds: 30);
        using var connection = await ClusterConnection.OpenAsync(cluster);
        await new ClusterJobs(connection).CreateAsync(request, CancellationToken.None);
        return request;
    }

    /// <summary>A small Amazon 2018 review file: <paramref name="users"/> users with 3 reviews each.</summary>
    private string ReviewFile(string name, int users = 4)
    {
        var path = Path.Combine(folder, $"{name}_5.json");
        var text = new StringBuilder();
        for (var u = 0; u < users; u++)
            for (var r = 0; r < 3; r++)
                text.Append(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["overall"] = 1 + (u + r) % 5, ["reviewerID"] = $"U{u}", ["asin"] = $"A{(u + r) % 5}",
                    ["summary"] = "Review", ["reviewText"] = "Lovely lavender scent, but too greasy for my skin.", ["unixReviewTime"] = 1_500_000_000 + r * 86_400,
                })).Append('\n');
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private sealed record LeaseCounts(int Total, int Done, int VictimDone);

    private static LeaseCounts Leases(string cluster, string victim)
    {
        using var connection = new NpgsqlConnection(cluster);
        connection.Open();
        using var command = new NpgsqlCommand(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'done'), COUNT(*) FILTER (WHERE status = 'done' AND owner = @victim) FROM mender_leases",
            connection);
        command.Parameters.AddWithValue("victim", victim);
        using var reader = command.ExecuteReader();
        reader.Read();
        return new LeaseCounts((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2));
    }

    private static int Scalar(string cluster, string sql)
    {
        using var connection = new NpgsqlConnection(cluster);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(command.ExecuteScalar());
    }
}
