using Mender.Preference.Extraction;
using Mender.Preference.Sentiment;

namespace Mender.Preference.Tests;

public sealed class ExtractionRetryTests
{
    /// <summary>An extractor whose attempts give the scripted outcomes in turn.</summary>
    private sealed class Scripted(bool deterministic, params ExtractionAttempt[] outcomes) : IPreferenceExtractor
    {
        public int Calls { get; private set; }
        public string Name => "scripted";
        public string? Model => null;
        public bool IsDeterministic => deterministic;
        public bool Fits(string prompt) => true;

        public Task<ExtractionAttempt> ExtractAsync(ReviewWindow window, string prompt, int attempt, CancellationToken cancellationToken)
        {
            Assert.Equal(++Calls, attempt);
            return Task.FromResult(outcomes[attempt - 1]);
        }
    }

    private static readonly ReviewWindow Window = new([]);

    [Fact]
    public async Task AFailedAttemptIsRetriedUntilOneSucceedsAndAllTokensAreCounted()
    {
        var extractor = new Scripted(false, ExtractionAttempt.Failure("malformed", 10, 2), ExtractionAttempt.Success([new UserPreference("likes tea", PreferenceSentiment.Positive)], "prompt", 10, 3));

        var tried = await ExtractionRetry.RunAsync(extractor, Window, "p", 3, CancellationToken.None);

        Assert.True(tried.Succeeded);
        Assert.Equal(2, tried.Attempts);
        Assert.Equal((20L, 5L), (tried.InputTokens, tried.OutputTokens));
        Assert.Null(tried.Error);
    }

    [Fact]
    public async Task AfterTheLastAttemptTheErrorSaysHowManyWereMade()
    {
        var extractor = new Scripted(false, ExtractionAttempt.Failure("a"), ExtractionAttempt.Failure("b"), ExtractionAttempt.Failure("c"));

        var tried = await ExtractionRetry.RunAsync(extractor, Window, "p", 3, CancellationToken.None);

        Assert.Equal(3, extractor.Calls);
        Assert.Equal("c (after 3 attempts)", tried.Error);
    }

    [Fact]
    public async Task ACertainFailureAndADeterministicExtractorAreAskedOnce()
    {
        var certain = new Scripted(false, ExtractionAttempt.Failure("bad schema", retryable: false), ExtractionAttempt.Failure("unreached"));
        var deterministic = new Scripted(true, ExtractionAttempt.Failure("no preference"), ExtractionAttempt.Failure("unreached"));

        Assert.Equal("bad schema", (await ExtractionRetry.RunAsync(certain, Window, "p", 3, CancellationToken.None)).Error);
        Assert.Equal("no preference", (await ExtractionRetry.RunAsync(deterministic, Window, "p", 3, CancellationToken.None)).Error);
        Assert.Equal((1, 1), (certain.Calls, deterministic.Calls));
    }
}
