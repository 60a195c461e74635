using Mender.Llm.Chat;
using Mender.Llm.Generation;
using Mender.Llm.Runtime;

namespace Mender.Service;

/// <summary>
/// <see cref="IThoughtModel"/> over a local GGUF model: the prompt is one user turn in the model's chat template and the
/// answer so far is left open after the assistant header, so each stage continues the same answer. Every call
/// re-encodes prompt and answer; the generator keeps what its cache already holds, so only the new header and what
/// follows are evaluated. Decoding is greedy with a mild repetition penalty: the same request thinks the same way.
/// </summary>
internal sealed class LocalThoughtModel : IThoughtModel
{
    private static readonly SamplingOptions Sampling = SamplingOptions.Greedy with { RepetitionPenalty = 1.15f };

    private readonly LlmModel model;
    private readonly ChatTemplate template;
    private readonly BatchGenerator generator;

    private LocalThoughtModel(LlmModel model, int contextLength)
    {
        this.model = model;
        template = ChatTemplate.For(model);
        generator = new BatchGenerator(model, 1, contextLength);
        ContextLength = generator.ContextLength;
        Name = model.Name;
    }

    public static LocalThoughtModel Open(string path, int threads, int contextLength)
    {
        var model = LlmModel.Load(path, new LlmModelOptions { Threads = threads });
        try
        {
            return new LocalThoughtModel(model, contextLength);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public string Name { get; }

    public int ContextLength { get; }

    /// <summary>The loaded model, for the preference extractor's chat client.</summary>
    public LlmModel Model => model;

    public int CountTokens(string prompt, string answerSoFar) => Encode(prompt, answerSoFar).Length;

    public async Task<Continuation> ContinueAsync(string prompt, string answerSoFar, int maxTokens, IReadOnlyList<string> stops,
        Action<string> onText, CancellationToken cancellationToken)
    {
        var tokens = Encode(prompt, answerSoFar);
        var room = ContextLength - tokens.Length;
        if (room < 1) return new Continuation("", tokens.Length, 0);
        var options = new GenerationOptions { MaxTokens = Math.Min(maxTokens, room), Sampling = Sampling, StopStrings = stops };
        var result = await generator.GenerateAsync(tokens, options, onText, cancellationToken).ConfigureAwait(false);
        return new Continuation(result.Text, tokens.Length, result.Tokens.Length);
    }

    private int[] Encode(string prompt, string answerSoFar)
    {
        // A completion-style model has no assistant header: a blank line separates the answer from the prompt.
        var separator = template.IsCompletion ? "\n\n" : "";
        return model.Tokenize(template.Render([("user", prompt)]) + separator + answerSoFar, addSpecial: true, parseSpecial: true);
    }

    public void Dispose()
    {
        generator.Dispose();
        model.Dispose();
    }
}
