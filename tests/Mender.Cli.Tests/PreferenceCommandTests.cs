using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Mender.Preference.Storage;
using Mender.TestSupport;
using Microsoft.Data.Sqlite;

namespace Mender.Cli.Tests;

public sealed class PreferenceCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "mender-cli-prefs-" + Guid.NewGuid().ToString("N"));

    public PreferenceCommandTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static readonly string[] Sentences =
    [
        "I love the lavender scent.", "Way too greasy for my skin.", "The glitter got everywhere, I hate it.", "Finally fragrance-free!",
        "Not moisturizing enough.", "Five stars.", "The matte finish is gorgeous.", "It broke me out.", "My curly hair loves it.",
        "The citrus smell is too strong.", "Rich and creamy texture.", "Arrived on time.",
    ];

    /// <summary>Amazon 2018 review lines: <paramref name="users"/> users with <paramref name="reviews"/> reviews each.</summary>
    private string ReviewFile(int users, int reviews)
    {
        var path = Path.Combine(folder, $"Synthetic_{users}x{reviews}.json");
        var text = new StringBuilder();
        for (var u = 0; u < users; u++)
            for (var r = 0; r < reviews; r++)
            {
                var sentence = Sentences[(u * 7 + r * 3) % Sentences.Length] + " " + Sentences[(u + r) % Sentences.Length];
                text.Append(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["overall"] = 1 + (u + r) % 5, ["reviewerID"] = $"U{u:D5}", ["asin"] = $"A{(u * 5 + r) % 400:D4}",
                    ["summary"] = "Review", ["reviewText"] = sentence, ["unixReviewTime"] = 1_500_000_000 + r * 86_400,
                })).Append('\n');
            }
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>The stored table without timestamps, one string per row.</summary>
    /// <summary>The store's rows without their times, for comparing runs.</summary>
    internal static List<string> Table(string store)
    {
        using var opened = PreferenceStore.OpenExisting(store);
        return opened.Rows().Select(r => string.Join('|', r.User, r.Step, r.WindowStart, r.Status, string.Join(';', r.Preferences),
            r.SentimentBy, r.Extractor, r.Model, r.PromptHash, r.Attempts, r.Error)).ToList();
    }

    /// <summary>Finished rows, read without disturbing a writer (read-only connection; the store runs in WAL mode).</summary>
    private static int Finished(string store)
    {
        var path = Path.Combine(store, PreferenceStore.FileName);
        if (!File.Exists(path)) return 0;
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM preferences WHERE status IN ('completed', 'failed')";
            return Convert.ToInt32(command.ExecuteScalar());
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    [Fact]
    public void ExtractPrintsOneJsonSummaryResumesAndShowListsTheSteps()
    {
        var data = ReviewFile(users: 30, reviews: 6);
        var store = Path.Combine(folder, "store");
        var first = CliRunner.Run("preferences", "extract", data, "--out", store, "--json");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var summary = first.Json();
        Assert.Equal(180, summary.GetProperty("prompts").GetInt32());
        Assert.Equal(180, summary.GetProperty("completed").GetInt32() + summary.GetProperty("failed").GetInt32());
        Assert.True(summary.GetProperty("completed").GetInt32() > 90);
        Assert.Equal("builtin-lexicon-v1", summary.GetProperty("extractor").GetString());

        var again = CliRunner.Run("preferences", "extract", data, "--out", store, "--json").Json();
        Assert.Equal((180, 0), (again.GetProperty("resumed").GetInt32(), again.GetProperty("ran_now").GetInt32()));

        var shown = CliRunner.Run("preferences", "show", data, "--user", "U00003", "--out", store, "--json");
        Assert.True(shown.ExitCode == 0, shown.Stderr);
        var steps = shown.Json().GetProperty("steps");
        Assert.Equal(6, steps.GetArrayLength());
        Assert.All(steps.EnumerateArray(), s => Assert.Contains(s.GetProperty("status").GetString(), new[] { "completed", "failed" }));
        Assert.Contains(steps.EnumerateArray(), s => s.GetProperty("preferences").GetArrayLength() > 0);

        var limited = CliRunner.Run("preferences", "extract", data, "--out", Path.Combine(folder, "limited"), "--limit-users", "4", "--json").Json();
        Assert.Equal(24, limited.GetProperty("prompts").GetInt32());
    }

    /// <summary>Runs the command as a process and kills it (kill -9) as soon as <paramref name="store"/> holds a finished row.</summary>
    private void KillOnceARowIsStored(string store, params string[] args)
    {
        using var process = CliRunner.Start(folder, args);
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (Finished(store) == 0)
        {
            Assert.False(process.HasExited, "the extraction ended before it could be killed");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), "no row was stored within 5 minutes");
            Thread.Sleep(20);
        }
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    [Fact]
    public void AKilledRunResumesToTheSameTableWithNoDuplicates()
    {
        var data = ReviewFile(users: 1000, reviews: 20);
        const int total = 20_000;
        var killed = Path.Combine(folder, "killed");
        KillOnceARowIsStored(killed, "preferences", "extract", data, "--out", killed, "--parallel", "1", "--json");
        var finishedAtKill = Finished(killed);
        Assert.InRange(finishedAtKill, 1, total - 1);

        var resumed = CliRunner.Run("preferences", "extract", data, "--out", killed, "--json");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var summary = resumed.Json();
        Assert.Equal(total, summary.GetProperty("prompts").GetInt32());
        Assert.Equal(finishedAtKill, summary.GetProperty("resumed").GetInt32());
        Assert.Equal(total - finishedAtKill, summary.GetProperty("ran_now").GetInt32());

        var whole = Path.Combine(folder, "whole");
        var uninterrupted = CliRunner.Run("preferences", "extract", data, "--out", whole, "--json");
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Stderr);

        var expected = Table(whole);
        var actual = Table(killed);
        Assert.Equal(total, actual.Count);
        Assert.Equal(total, actual.Select(r => r.Split('|')[0] + "|" + r.Split('|')[1]).Distinct().Count());
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void BadInputIsAUserError()
    {
        var data = ReviewFile(users: 2, reviews: 3);
        var missingModel = CliRunner.Run("preferences", "extract", data, "--out", Path.Combine(folder, "m"), "--model", Path.Combine(folder, "no.gguf"));
        Assert.Equal(1, missingModel.ExitCode);
        Assert.Contains("no.gguf", missingModel.Stderr);

        var noStore = CliRunner.Run("preferences", "show", data, "--user", "U00000", "--out", Path.Combine(folder, "none"));
        Assert.Equal(1, noStore.ExitCode);
        Assert.Contains("no preference store", noStore.Stderr);

        CliRunner.Run("preferences", "extract", data, "--out", Path.Combine(folder, "s"));
        var noUser = CliRunner.Run("preferences", "show", data, "--user", "nobody", "--out", Path.Combine(folder, "s"));
        Assert.Equal(1, noUser.ExitCode);
        Assert.Contains("nobody", noUser.Stderr);

        var badPrompts = CliRunner.Run("preferences", "extract", data, "--out", Path.Combine(folder, "p"), "--prompts", Path.Combine(folder, "missing"));
        Assert.Equal(1, badPrompts.ExitCode);
    }

    [SharedFact]
    public void EveryAnswerOfATinyModelParsesUnderTheJsonConstraint()
    {
        var data = SharedData.PathOf("data/amazon2018-all-beauty/All_Beauty_5.json.gz");
        var model = SharedData.PathOf("models/tiny/stories260K.gguf");
        var store = Path.Combine(folder, "tiny");
        var result = CliRunner.Run("preferences", "extract", data, "--model", model, "--out", store, "--limit-users", "1",
            "--max-review-chars", "120", "--attempts", "1", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var summary = result.Json();
        Assert.Equal(5, summary.GetProperty("prompts").GetInt32());
        Assert.Equal((5, 0), (summary.GetProperty("completed").GetInt32(), summary.GetProperty("failed").GetInt32()));
        Assert.Equal("llm-json-v1", summary.GetProperty("extractor").GetString());
        Assert.True(summary.GetProperty("output_tokens").GetInt64() > 0);

        using var opened = PreferenceStore.OpenExisting(store);
        Assert.All(opened.Rows(), row =>
        {
            Assert.Equal(1, row.Attempts);
            Assert.InRange(row.Preferences.Count, 1, 5);
            Assert.All(row.Preferences, p => Assert.InRange(p.Text.Length, 1, 120));
        });
    }

    /// <summary>
    /// The LLM extractor on real reviews with a context too small for the longest windows: no prompt fails for its
    /// length (the long ones are shortened and say so), and a run killed with kill -9 resumes to a table with every
    /// step once, keeping what was stored before the kill as it was.
    /// </summary>
    [SharedFact]
    public void AKilledLlmRunResumesAndNoPromptFailsForItsLength()
    {
        var data = SharedData.PathOf("data/amazon2018-all-beauty/All_Beauty_5.json.gz");
        var model = SharedData.PathOf("models/tiny/stories260K.gguf");
        string[] Arguments(string store) =>
            ["preferences", "extract", data, "--model", model, "--out", store, "--limit-users", "6", "--parallel", "4", "--context", "1024", "--attempts", "2", "--json"];

        var killed = Path.Combine(folder, "llm-killed");
        KillOnceARowIsStored(killed, Arguments(killed));
        var beforeResume = Table(killed).Where(r => !r.Contains("|Running|", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(beforeResume);

        var resumed = CliRunner.Run(Arguments(killed));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var summary = resumed.Json();
        var total = summary.GetProperty("prompts").GetInt32();
        Assert.Equal(beforeResume.Count, summary.GetProperty("resumed").GetInt32());

        var whole = Path.Combine(folder, "llm-whole");
        var uninterrupted = CliRunner.Run(Arguments(whole));
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Stderr);
        Assert.True(uninterrupted.Json().GetProperty("fitted").GetInt32() > 0, "a context of 1024 tokens shortens some prompts");

        var after = Table(killed);
        Assert.Equal(total, after.Count);
        Assert.Subset(after.ToHashSet(), beforeResume.ToHashSet());
        static string Key(string row) => string.Join('|', row.Split('|').Take(2));
        Assert.Equal(Table(whole).Select(Key), after.Select(Key));
        using var opened = PreferenceStore.OpenExisting(killed);
        Assert.All(opened.Rows(), row =>
        {
            Assert.NotEqual(StepStatus.Running, row.Status);
            Assert.DoesNotContain("does not fit", row.Error ?? "", StringComparison.Ordinal);
        });
    }

    [SharedFact]
    public void ExtractsFromAllBeautyReviews()
    {
        var data = SharedData.PathOf("data/amazon2018-all-beauty/All_Beauty_5.json.gz");
        var result = CliRunner.Run("preferences", "extract", data, "--out", Path.Combine(folder, "beauty"), "--limit-users", "40", "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var summary = result.Json();
        var prompts = summary.GetProperty("prompts").GetInt32();
        Assert.InRange(prompts, 200, 800);
        Assert.Equal(prompts, summary.GetProperty("completed").GetInt32() + summary.GetProperty("failed").GetInt32());
        Assert.True(summary.GetProperty("completed").GetInt32() > prompts / 2);
        Assert.Equal("All_Beauty", summary.GetProperty("dataset").GetString());
    }
}
