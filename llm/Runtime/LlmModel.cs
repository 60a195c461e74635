using System.Text;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Mender.Llm.Gguf;

namespace Mender.Llm.Runtime;

/// <summary>
/// A GGUF model loaded by llama.cpp through LLamaSharp: the weights and vocabulary, shared by every context made from
/// it. The file's header is read by our own GGUF reader first, so that a damaged or wrong file gets an error naming it
/// and what is wrong, instead of whatever the native loader does with it.
/// </summary>
public sealed class LlmModel : IDisposable
{
    private LlmModel(string path, LLamaWeights weights, GgufFile header, LlmModelOptions options)
    {
        Path = path;
        Weights = weights;
        Options = options;
        Architecture = header.Architecture;
        Name = header.GetString("general.name") ?? System.IO.Path.GetFileNameWithoutExtension(path);
        ChatTemplateText = header.GetString("tokenizer.chat_template");
        TrainedContextLength = (int)Math.Min(int.MaxValue, header.GetInteger($"{Architecture}.context_length") ?? 2048);
        WeightTypes = string.Join("+", header.Tensors.Where(t => t.Dimensions.Length == 2).GroupBy(t => t.Type)
            .OrderByDescending(g => g.Sum(t => t.ByteSize)).Select(g => g.Key.ToString()));
    }

    /// <summary>Loads a model for inference. Bad files throw <see cref="InvalidDataException"/> naming the file.</summary>
    public static LlmModel Load(string path, LlmModelOptions? options = null) => Open(path, options ?? new LlmModelOptions(), vocabularyOnly: false);

    /// <summary>Loads only the tokenizer of a GGUF file (vocabulary files without tensors load too).</summary>
    public static LlmModel LoadVocabulary(string path) => Open(path, new LlmModelOptions(), vocabularyOnly: true);

    private static LlmModel Open(string path, LlmModelOptions options, bool vocabularyOnly)
    {
        options.Validate();
        using var header = GgufFile.Open(path);
        if (!vocabularyOnly) CheckNumbers(header);
        LlmBackend.EnsureChosen();
        var parameters = new ModelParams(System.IO.Path.GetFullPath(path))
        {
            GpuLayerCount = options.GpuLayers,
            VocabOnly = vocabularyOnly,
            Threads = options.ResolvedThreads,
        };
        LLamaWeights weights;
        try
        {
            weights = LLamaWeights.LoadFromFile(parameters);
        }
        catch (LoadWeightsFailedException)
        {
            var said = LlmBackend.TakeLastError();
            throw new InvalidDataException($"'{path}': llama.cpp could not load this model" + (said is null ? "" : $" ({Shorten(said)})"));
        }
        return new LlmModel(path, weights, header, options);
    }

    /// <summary>Metadata numbers that make every output NaN are refused at load, where the file can still be named.</summary>
    private static void CheckNumbers(GgufFile header)
    {
        foreach (var key in new[] { "attention.layer_norm_rms_epsilon", "attention.layer_norm_epsilon", "rope.freq_base" })
            if (header.GetFloat($"{header.Architecture}.{key}") is { } value && !float.IsFinite(value))
                throw new InvalidDataException($"'{header.Path}': metadata {header.Architecture}.{key} is {value}, not a finite number");
    }

    internal static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";

    /// <summary>The GGUF file the model was loaded from.</summary>
    public string Path { get; }

    /// <summary>general.name, or the file name.</summary>
    public string Name { get; }

    /// <summary>general.architecture (llama, qwen2, ...).</summary>
    public string Architecture { get; }

    /// <summary>The Jinja chat template the file carries, if any.</summary>
    public string? ChatTemplateText { get; }

    /// <summary>The context length the model was trained for.</summary>
    public int TrainedContextLength { get; }

    /// <summary>The storage types of the matrices, most bytes first (for example "Q8_0+F32").</summary>
    public string WeightTypes { get; }

    /// <summary>The options the model was loaded with.</summary>
    public LlmModelOptions Options { get; }

    /// <summary>The number of tokens the tokenizer knows.</summary>
    public int VocabularySize => Weights.Vocab.Count;

    /// <summary>The model's hidden size, which is also the length of its embeddings.</summary>
    public int EmbeddingLength => Weights.EmbeddingSize;

    /// <summary>The LLamaSharp weights, for code that drives llama.cpp directly (the raw baseline of <c>llm bench</c>).</summary>
    public LLamaWeights Weights { get; }

    /// <summary>Token ids of a text; <paramref name="addSpecial"/> adds BOS where the model asks for it, <paramref name="parseSpecial"/> reads control-token texts as those tokens.</summary>
    public int[] Tokenize(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        var tokens = Weights.Tokenize(text, addSpecial, parseSpecial, Encoding.UTF8);
        var ids = new int[tokens.Length];
        for (var i = 0; i < ids.Length; i++) ids[i] = (int)tokens[i];
        return ids;
    }

    /// <summary>The text of a token sequence (control tokens render as nothing).</summary>
    public string Detokenize(IEnumerable<int> tokens)
    {
        var decoder = new StreamingTokenDecoder(Encoding.UTF8, Weights);
        foreach (var token in tokens) decoder.Add(token);
        return decoder.Read();
    }

    /// <summary>The text of one token, a control token as its own text (for example "&lt;|im_start|&gt;").</summary>
    public string TokenPiece(int token) => Weights.Vocab.LLamaTokenToString(token, isSpecialToken: true) ?? "";

    /// <summary>End of sequence, end of turn and the like: generation stops there.</summary>
    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(Weights.Vocab);

    /// <summary>
    /// The settings of a llama.cpp context of <paramref name="contextLength"/> cells split evenly among up to
    /// <paramref name="sequences"/> sequences, each with a KV stream of its own: a token attends over its own sequence's
    /// cells only, where one cache shared by all would make it attend over every sequence's (masked) and cost as much.
    /// Public so that code driving llama.cpp directly (the raw baseline of <c>llm bench</c>) runs with the same settings.
    /// </summary>
    public ModelParams ContextParameters(int contextLength, int sequences = 1, bool embeddings = false,
        LLamaPoolingType pooling = LLamaPoolingType.Unspecified) => new(Path)
    {
        ContextSize = (uint)contextLength,
        SeqMax = (uint)sequences,
        KVUnified = false,
        BatchSize = (uint)Options.BatchSize,
        UBatchSize = (uint)Options.BatchSize,
        Threads = Options.ResolvedThreads,
        BatchThreads = Options.ResolvedThreads,
        Embeddings = embeddings,
        PoolingType = pooling,
        TypeK = Options.Float32KvCache ? GGMLType.GGML_TYPE_F32 : GGMLType.GGML_TYPE_F16,
        TypeV = Options.Float32KvCache ? GGMLType.GGML_TYPE_F32 : GGMLType.GGML_TYPE_F16,
        // Flash attention rounds the attention to float16 on the CPU; a float32 cache asks for exact attention.
        FlashAttention = Options.Float32KvCache ? false : null,
    };

    internal LLamaContext CreateContext(int contextLength, int sequences = 1, bool embeddings = false,
        LLamaPoolingType pooling = LLamaPoolingType.Unspecified)
    {
        var parameters = ContextParameters(contextLength, sequences, embeddings, pooling);
        try
        {
            return Weights.CreateContext(parameters);
        }
        catch (RuntimeError ex)
        {
            var said = LlmBackend.TakeLastError();
            throw new InvalidOperationException($"llama.cpp could not create a context of {contextLength} tokens for '{Path}': {ex.Message}"
                + (said is null ? "" : $" ({Shorten(said)})"), ex);
        }
    }

    /// <summary>
    /// The logits after evaluating <paramref name="tokens"/> as given (no BOS added) in one sequence: of the last
    /// position, or of every position one after another. For parity checks and <c>llm logits</c>.
    /// </summary>
    public float[] EvaluateLogits(IReadOnlyList<int> tokens, bool allPositions = false)
    {
        if (tokens.Count == 0) throw new ArgumentException("there are no tokens to evaluate");
        if (tokens.Count > TrainedContextLength) throw new Generation.PromptTooLongException(tokens.Count, TrainedContextLength);
        foreach (var token in tokens)
            if ((uint)token >= (uint)VocabularySize)
                throw new ArgumentException($"token id {token} is outside the vocabulary of {VocabularySize} tokens");
        using var context = CreateContext(Math.Max(tokens.Count, 16));
        var vocabulary = VocabularySize;
        var logits = new float[(allPositions ? tokens.Count : 1) * (long)vocabulary];
        var batch = new LLamaBatch();
        for (var start = 0; start < tokens.Count; start += Options.BatchSize)
        {
            batch.Clear();
            var end = Math.Min(tokens.Count, start + Options.BatchSize);
            for (var i = start; i < end; i++) batch.Add(tokens[i], i, LLamaSeqId.Zero, allPositions || i == tokens.Count - 1);
            var result = context.NativeHandle.Decode(batch);
            if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp could not evaluate the tokens ({result})");
            for (var i = start; i < end; i++)
            {
                if (!allPositions && i != tokens.Count - 1) continue;
                var row = context.NativeHandle.GetLogitsIth(i - start);
                if (!float.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(row)))
                    throw new InvalidDataException($"'{Path}' gives logits that are not finite numbers: its weights hold NaN or infinite values");
                row.CopyTo(logits.AsSpan((int)((allPositions ? i : 0) * (long)vocabulary), vocabulary));
            }
        }
        return logits;
    }

    /// <summary>Frees the weights.</summary>
    public void Dispose() => Weights.Dispose();
}
