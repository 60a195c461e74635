using Mender.Preference.Sentiment;
using Mender.Preference.Storage;

namespace Mender.Preference.Tests;

public class StoreTests
{
    private static StoredStep Row(string user, int step, StepStatus status, params UserPreference[] preferences) =>
        new(user, 0, step, Math.Max(0, step - 4), status, preferences, status == StepStatus.Completed ? "lexicon" : null, "x-v1", null,
            "abcd", status == StepStatus.Running ? 0 : 1, status == StepStatus.Failed ? "empty output: no preferences" : null, 10, 5,
            DateTimeOffset.UnixEpoch, status == StepStatus.Running ? null : DateTimeOffset.UnixEpoch.AddSeconds(1));

    [Fact]
    public void RowsRoundTripAndUpsertKeepsOneRowPerUserStep()
    {
        using var folder = new TempFolder();
        using (var store = PreferenceStore.Open(folder.Path))
        {
            store.Bind("fixture", "x-v1", null);
            store.Write([Row("U1", 0, StepStatus.Running), Row("U1", 1, StepStatus.Running)]);
            store.Write([
                Row("U1", 0, StepStatus.Completed, new UserPreference("avoids glitter", PreferenceSentiment.Negative), new UserPreference("likes rose scents", PreferenceSentiment.Positive)),
                Row("U2", 3, StepStatus.Failed),
            ]);
            Assert.Equal((1, 1, 1), store.Counts());
        }
        using var reopened = PreferenceStore.OpenExisting(folder.Path);
        var rows = reopened.Rows();
        Assert.Equal(3, rows.Count);
        var done = rows.Single(r => r is { User: "U1", Step: 0 });
        Assert.Equal(StepStatus.Completed, done.Status);
        Assert.Equal([new UserPreference("avoids glitter", PreferenceSentiment.Negative), new UserPreference("likes rose scents", PreferenceSentiment.Positive)], done.Preferences);
        Assert.Equal(("x-v1", "abcd", 1, 10L, 5L), (done.Extractor, done.PromptHash, done.Attempts, done.InputTokens, done.OutputTokens));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(1), done.CompletedAt);
        Assert.Equal("empty output: no preferences", rows.Single(r => r.User == "U2").Error);
        Assert.Equal(2, reopened.FinishedSteps().Count);
        Assert.Equal(["U1"], reopened.LoadTable().Users);
        Assert.Equal("avoids glitter", reopened.LoadTable().At("U1", 0)![0].Text);
        Assert.Null(reopened.LoadTable().At("U1", 1));
    }

    [Fact]
    public void AStoreBelongsToOneDatasetAndOneExtractor()
    {
        using var folder = new TempFolder();
        using var store = PreferenceStore.Open(folder.Path);
        store.Bind("fixture", "builtin-lexicon-v1", null);
        store.Bind("fixture", "builtin-lexicon-v1", null);
        Assert.Equal(("fixture", "builtin-lexicon-v1", (string?)null), (store.Dataset, store.Extractor, store.Model));
        Assert.Contains("llm-json-v1", Assert.Throws<PreferenceStoreMismatchException>(() => store.Bind("fixture", "llm-json-v1", "qwen")).Message);
        Assert.Throws<PreferenceStoreMismatchException>(() => store.Bind("other", "builtin-lexicon-v1", null));
    }

    [Fact]
    public void MissingOrCorruptStoresAreReportedByPath()
    {
        using var folder = new TempFolder();
        Assert.Throws<PreferenceStoreMissingException>(() => PreferenceStore.OpenExisting(folder.Path));
        File.WriteAllText(folder.Sub(PreferenceStore.FileName), "this is not a database, just some text that is long enough to have a header");
        var error = Assert.Throws<InvalidDataException>(() => PreferenceStore.Open(folder.Path));
        Assert.Contains(PreferenceStore.FileName, error.Message);
    }
}
