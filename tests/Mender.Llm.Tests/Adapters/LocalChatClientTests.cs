using System.Text;
using System.Text.Json;
using Mender.Llm.Adapters;
using Mender.Llm.Generation;
using Mender.Llm.Runtime;
using Mender.Llm.Tests.Constraints;
using Mender.Llm.Tests.Runtime;
using Microsoft.Extensions.AI;

namespace Mender.Llm.Tests.Adapters;

public sealed class LocalChatClientTests(RandomQwenFixture randomQwen) : IClassFixture<RandomQwenFixture>
{
    private static LocalChatClient Stories() =>
        LocalChatClient.Open(SharedData.PathOf(StoriesGreedyTests.Model), new LocalChatClientOptions { ContextLength = 256, Model = new() { Threads = 2 } });

    [SharedFact]
    public async Task AnswersWithTheEnginesGreedyContinuation()
    {
        using var client = Stories();
        Assert.Equal("completion", client.Template.Name);
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")],
            new ChatOptions { Temperature = 0, MaxOutputTokens = 30 });

        // The same prompt through the generator directly.
        using var model = LlmModel.Load(SharedData.PathOf(StoriesGreedyTests.Model), new LlmModelOptions { Threads = 2 });
        using var generator = new BatchGenerator(model, contextLength: 256);
        var direct = await generator.GenerateAsync(model.Tokenize("Once upon a time"), new GenerationOptions { MaxTokens = 30, Sampling = SamplingOptions.Greedy });

        Assert.Equal(direct.Text.TrimStart(), response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(30, response.Usage!.OutputTokenCount);
        Assert.Equal(model.Tokenize("Once upon a time").Length, response.Usage.InputTokenCount);
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.NotNull(client.GetService<ChatClientMetadata>());
        Assert.Same(client, client.GetService<LocalChatClient>());
    }

    [SharedFact]
    public async Task StreamingGivesTheSameTextAsOneResponse()
    {
        using var client = Stories();
        var messages = new[] { new ChatMessage(ChatRole.User, "Lily and Ben") };
        var options = new ChatOptions { Temperature = 0.8f, Seed = 99, MaxOutputTokens = 40 };
        var whole = await client.GetResponseAsync(messages, options);
        var text = new StringBuilder();
        var updates = 0;
        ChatFinishReason? finish = null;
        UsageDetails? usage = null;
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            text.Append(update.Text);
            updates++;
            finish ??= update.FinishReason;
            usage ??= update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details;
        }
        Assert.Equal(whole.Text, text.ToString());
        Assert.True(updates > 5);
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.Equal(40, usage!.OutputTokenCount);
    }

    [SharedFact]
    public async Task StopSequencesEndTheAnswer()
    {
        using var client = Stories();
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Once upon a time")],
            new ChatOptions { Temperature = 0, MaxOutputTokens = 100, StopSequences = ["."] });
        Assert.DoesNotContain(".", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.NotEmpty(response.Text);
    }

    [SharedFact]
    public async Task JsonModeWithoutSchemaGivesAnObject()
    {
        using var client = LocalChatClient.Open(randomQwen.Path, new LocalChatClientOptions { ContextLength = 512, Model = new() { Threads = 2 } });
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Reply in JSON.")],
            new ChatOptions { ResponseFormat = ChatResponseFormat.Json, Temperature = 1.0f, Seed = 3, MaxOutputTokens = 40 });
        using var parsed = JsonDocument.Parse(response.Text);
        Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
    }

    [SharedFact]
    public async Task ParallelRequestsAnswerAsTheyWouldOneByOne()
    {
        var questions = new[] { "Once upon a time", "The dog", "Lily saw a bird" };
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 20 };
        using var serial = Stories();
        var expected = new List<string>();
        foreach (var q in questions)
            expected.Add((await serial.GetResponseAsync([new ChatMessage(ChatRole.User, q)], options)).Text);

        using var parallel = LocalChatClient.Open(SharedData.PathOf(StoriesGreedyTests.Model),
            new LocalChatClientOptions { ContextLength = 256, Model = new() { Threads = 2 }, ParallelRequests = 3 });
        var answers = await Task.WhenAll(questions.Select(q => parallel.GetResponseAsync([new ChatMessage(ChatRole.User, q)], options)));
        Assert.Equal(expected, answers.Select(a => a.Text));
    }

    [SharedFact]
    public async Task StoppingToReadAStreamEndsItsGeneration()
    {
        using var client = Stories();
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 200 };
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "The cat")], options))
            break;
        // The client is free again for the next request.
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "The cat")], new ChatOptions { Temperature = 0, MaxOutputTokens = 5 });
        Assert.Equal(5, response.Usage!.OutputTokenCount);
    }

    [SharedFact]
    public void OptionsBecomeGenerationSettings()
    {
        using var client = Stories();
        var (prompt, options) = client.Prepare([new ChatMessage(ChatRole.User, "Hi")], new ChatOptions
        {
            Temperature = 0.3f, TopP = 0.7f, TopK = 12, Seed = 5, MaxOutputTokens = 17, StopSequences = ["x"],
            FrequencyPenalty = 0.1f, PresencePenalty = 0.2f, Instructions = "Be nice.",
        });
        Assert.Equal(0.3f, options.Sampling.Temperature);
        Assert.Equal(0.7f, options.Sampling.TopP);
        Assert.Equal(12, options.Sampling.TopK);
        Assert.Equal(5UL, options.Sampling.Seed);
        Assert.Equal(0.1f, options.Sampling.FrequencyPenalty);
        Assert.Equal(0.2f, options.Sampling.PresencePenalty);
        Assert.Equal(17, options.MaxTokens);
        Assert.Equal(["x"], options.StopStrings);
        Assert.Null(options.Grammar);
        Assert.Equal(client.Model.Tokenize("Be nice.\n\nHi"), prompt);
        Assert.Equal(prompt.Length, client.GetService<IPromptBudget>()!.CountTokens([new ChatMessage(ChatRole.User, "Hi")], new ChatOptions { Instructions = "Be nice." }));
        Assert.Equal(256, client.GetService<IPromptBudget>()!.ContextLength);
    }
}
