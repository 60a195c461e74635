using Mender.Llm.Chat;
using Mender.Llm.Generation;
using Mender.Llm.Inference;
using Mender.Llm.Sampling;
using Mender.Llm.Tokenizers;

namespace Mender.Reasoning;

/// <summary>
/// <see cref="IThoughtModel"/> over a local GGUF model: the prompt is one user turn in the model's chat template and the
/// answer so far is left open after the assistant marker, so each stage continues the same answer. Every call
/// re-encodes prompt and answer; the generator's prompt cache keeps the shared prefix, so only the new header and what
/// follows are evaluated. Decoding is greedy with a mild repetition penalty: the same request thinks the same way.
/// </summary>
internal sealed class LocalThoughtModel : IThoughtModel
{
    private static readonly SamplingOptions Sampling = SamplingOptions.Greedy with { RepetitionPenalty = 1.15f };

    private readonly LlmModel model;
    private readonly Tokenizer tokenizer;
    private readonly ChatTemplate template;
    private readonly BatchGenerator generator;

    private LocalThoughtModel(LlmModel model, int contextLength)
    {
        this.model = model;
        tokenizer = Tokenizer.FromGguf(model.File);
        template = ChatTemplate.Detect(model.File.GetString("tokenizer.chat_template"), tokenizer.Vocabulary);
        generator = new BatchGenerator(model, tokenizer, 1, contextLength);
        ContextLength = contextLength > 0 ? contextLength : Math.Min(model.Config.ContextLength, 4096);
        Name = model.File.GetString("general.name") ?? Path.GetFileNameWithoutExtension(model.File.Path);
    }

    public static LocalThoughtModel Open(string path, int threads, int contextLength)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"model file '{path}' does not exist", path);
        var model = LlmModel.Load(path, threads);
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
        var rendered = template.Build([ChatTurn.User(prompt)]);
        var text = rendered.Text;
        var literal = rendered.Contents.ToList();
        // A completion-style model has no assistant marker: a blank line separates the answer from the prompt.
        var separator = template is CompletionTemplate ? "\n\n" : "";
        var answer = separator + answerSoFar;
        if (answer.Length > 0) literal.Add((text.Length, answer.Length));
        var ids = new List<int>(text.Length / 3 + 16);
        tokenizer.Encode(text + answer, ids, addSpecial: true, parseSpecial: true, literal: literal);
        return ids.ToArray();
    }

    public void Dispose()
    {
        generator.Dispose();
        model.Dispose();
    }
}
