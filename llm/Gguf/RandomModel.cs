using LLama;
using LLama.Native;
using Mender.Numerics;

namespace Mender.Llm.Gguf;

/// <summary>
/// Writes a GGUF model of a real architecture and shape with random weights and a real tokenizer copied from another
/// GGUF, so that engines can be tested and benchmarked at full size without downloading a model. Matrices and
/// biases are N(0, 0.02²), norm weights U(0.5, 1.5), as in the reference models of ../shared; every tensor's rows are
/// drawn from their own seed, so the file depends only on the seed and is generated in parallel. Quantized files are
/// written in F32 first and quantized by llama.cpp's own quantizer, as llama-quantize makes real ones.
/// </summary>
public static class RandomModel
{
    /// <summary>The architectures random models can be written for.</summary>
    public static readonly IReadOnlyList<string> Architectures = ["llama", "qwen2", "qwen3"];

    /// <summary>The weight types random models can be written in.</summary>
    public static readonly IReadOnlyList<GgmlType> Types = [GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0];

    /// <summary>A tensor to generate: its name, shape (ne0 first) and how its values are drawn.</summary>
    public sealed record TensorPlan(string Name, long[] Dimensions, bool IsNorm)
    {
        /// <summary>The number of values in the tensor.</summary>
        public long Elements => Dimensions.Aggregate(1L, (a, b) => a * b);
    }

    /// <summary>The tensors a model of that architecture and shape holds, in the order they are written.</summary>
    public static IReadOnlyList<TensorPlan> Plan(string architecture, ModelShape s, int vocabSize)
    {
        CheckArchitecture(architecture);
        var q = (long)s.Heads * s.HeadDim;
        var kv = (long)s.KvHeads * s.HeadDim;
        var plan = new List<TensorPlan>
        {
            new("token_embd.weight", [s.EmbeddingLength, vocabSize], false),
            new("output_norm.weight", [s.EmbeddingLength], true),
        };
        if (architecture == "llama")
            plan.Add(new("output.weight", [s.EmbeddingLength, vocabSize], false));
        for (var i = 0; i < s.Layers; i++)
        {
            var p = $"blk.{i}.";
            plan.Add(new(p + "attn_norm.weight", [s.EmbeddingLength], true));
            plan.Add(new(p + "attn_q.weight", [s.EmbeddingLength, q], false));
            plan.Add(new(p + "attn_k.weight", [s.EmbeddingLength, kv], false));
            plan.Add(new(p + "attn_v.weight", [s.EmbeddingLength, kv], false));
            if (architecture == "qwen2")
            {
                plan.Add(new(p + "attn_q.bias", [q], false));
                plan.Add(new(p + "attn_k.bias", [kv], false));
                plan.Add(new(p + "attn_v.bias", [kv], false));
            }
            if (architecture == "qwen3")
            {
                plan.Add(new(p + "attn_q_norm.weight", [s.HeadDim], true));
                plan.Add(new(p + "attn_k_norm.weight", [s.HeadDim], true));
            }
            plan.Add(new(p + "attn_output.weight", [q, s.EmbeddingLength], false));
            plan.Add(new(p + "ffn_norm.weight", [s.EmbeddingLength], true));
            plan.Add(new(p + "ffn_gate.weight", [s.EmbeddingLength, s.FeedForwardLength], false));
            plan.Add(new(p + "ffn_up.weight", [s.EmbeddingLength, s.FeedForwardLength], false));
            plan.Add(new(p + "ffn_down.weight", [s.FeedForwardLength, s.EmbeddingLength], false));
        }
        return plan;
    }

    /// <summary>
    /// Writes the model to <paramref name="path"/>. Matrices are stored in <paramref name="type"/>; vectors (norms,
    /// biases) stay F32 as llama.cpp keeps them. <paramref name="progress"/> receives the fraction of parameters written.
    /// </summary>
    public static void Write(string path, string architecture, string shapeName, ModelShape shape, GgmlType type,
        GgufFile vocabularySource, ulong seed, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        CheckArchitecture(architecture);
        if (!Types.Contains(type))
            throw new ArgumentException($"type {type} is not one of {string.Join(", ", Types)}");
        if (type is GgmlType.F32 or GgmlType.F16)
        {
            WriteFloat(path, architecture, shapeName, shape, type, vocabularySource, seed, progress, cancellation);
            return;
        }
        var unquantized = path + ".f32.tmp";
        try
        {
            WriteFloat(unquantized, architecture, shapeName, shape, GgmlType.F32, vocabularySource, seed, progress, cancellation);
            Runtime.LlmBackend.EnsureChosen();
            var ftype = type == GgmlType.Q8_0 ? LLamaFtype.MOSTLY_Q8_0 : LLamaFtype.MOSTLY_Q4_0;
            if (!LLamaQuantizer.Quantize(unquantized, path, ftype, Environment.ProcessorCount, allowRequantize: false, quantizeOutputTensor: false))
                throw new InvalidOperationException($"llama.cpp could not quantize '{path}' to {type}");
        }
        finally
        {
            File.Delete(unquantized);
        }
    }

    private static void WriteFloat(string path, string architecture, string shapeName, ModelShape shape, GgmlType type,
        GgufFile vocabularySource, ulong seed, IProgress<double>? progress, CancellationToken cancellation)
    {
        var tokens = vocabularySource.GetStringArray("tokenizer.ggml.tokens")
            ?? throw new InvalidDataException($"'{vocabularySource.Path}' has no tokenizer (tokenizer.ggml.tokens)");
        var plan = Plan(architecture, shape, tokens.Length);
        var blockSize = GgmlTypeInfo.BlockSize(type);
        foreach (var t in plan)
            if (t.Dimensions.Length == 2 && t.Dimensions[0] % blockSize != 0)
                throw new ArgumentException($"{t.Name} rows of {t.Dimensions[0]} elements are not a whole number of {type} blocks of {blockSize}");

        var writer = new GgufWriter();
        var a = architecture;
        writer.Set("general.architecture", GgufValue.Of(a));
        writer.Set("general.name", GgufValue.Of($"random-{a}-{shapeName}"));
        writer.Set("general.description", GgufValue.Of($"random weights (seed {seed}); tokenizer from {Path.GetFileName(vocabularySource.Path)}"));
        writer.Set("general.file_type", GgufValue.Of(FileType(type)));
        writer.Set($"{a}.context_length", GgufValue.Of((uint)shape.ContextLength));
        writer.Set($"{a}.embedding_length", GgufValue.Of((uint)shape.EmbeddingLength));
        writer.Set($"{a}.block_count", GgufValue.Of((uint)shape.Layers));
        writer.Set($"{a}.feed_forward_length", GgufValue.Of((uint)shape.FeedForwardLength));
        writer.Set($"{a}.attention.head_count", GgufValue.Of((uint)shape.Heads));
        writer.Set($"{a}.attention.head_count_kv", GgufValue.Of((uint)shape.KvHeads));
        writer.Set($"{a}.attention.layer_norm_rms_epsilon", GgufValue.Of(a == "llama" ? 1e-5f : 1e-6f));
        writer.Set($"{a}.rope.freq_base", GgufValue.Of(a == "llama" ? 10000f : 1000000f));
        if (a == "llama")
        {
            writer.Set($"{a}.rope.dimension_count", GgufValue.Of((uint)shape.HeadDim));
            writer.Set($"{a}.vocab_size", GgufValue.Of((uint)tokens.Length));
        }
        if (shape.HeadDim * shape.Heads != shape.EmbeddingLength || a == "qwen3")
        {
            writer.Set($"{a}.attention.key_length", GgufValue.Of((uint)shape.HeadDim));
            writer.Set($"{a}.attention.value_length", GgufValue.Of((uint)shape.HeadDim));
        }
        foreach (var (key, value) in vocabularySource.Metadata)
            if (key.StartsWith("tokenizer.", StringComparison.Ordinal))
                writer.Set(key, value);

        var total = plan.Sum(t => t.Elements);
        long done = 0;
        for (var index = 0; index < plan.Count; index++)
        {
            var tensor = plan[index];
            var tensorType = tensor.Dimensions.Length == 1 ? GgmlType.F32 : type;
            var tensorSeed = Mix(seed, (ulong)index);
            writer.AddTensor(tensor.Name, tensorType, tensor.Dimensions, stream =>
            {
                WriteRows(stream, tensor, tensorType, tensorSeed, cancellation);
                done += tensor.Elements;
                progress?.Report((double)done / total);
            });
        }
        writer.Write(path);
    }

    private static uint FileType(GgmlType type) => type switch
    {
        GgmlType.F32 => 0,
        GgmlType.F16 => 1,
        GgmlType.Q4_0 => 2,
        _ => 7,
    };

    private static void CheckArchitecture(string architecture)
    {
        if (!Architectures.Contains(architecture))
            throw new ArgumentException($"architecture '{architecture}' is not one of {string.Join(", ", Architectures)}");
    }

    /// <summary>Generates and encodes rows in chunks (in parallel within a chunk) and writes them in order.</summary>
    private static void WriteRows(Stream stream, TensorPlan tensor, GgmlType type, ulong tensorSeed, CancellationToken cancellation)
    {
        var rowLength = (int)tensor.Dimensions[0];
        var rows = tensor.Dimensions.Length == 1 ? 1 : tensor.Dimensions[1];
        var rowBytes = (int)GgmlTypeInfo.RowBytes(type, rowLength);
        var chunkRows = (int)Math.Max(1, Math.Min(rows, (4 << 20) / rowBytes));
        var chunk = new byte[(long)chunkRows * rowBytes];
        using var values = new ThreadLocal<float[]>(() => new float[rowLength]);
        for (long first = 0; first < rows; first += chunkRows)
        {
            cancellation.ThrowIfCancellationRequested();
            var count = (int)Math.Min(chunkRows, rows - first);
            Parallel.For(0, count, r =>
            {
                var row = values.Value!;
                var rng = new Rng(Mix(tensorSeed, (ulong)(first + r)));
                if (tensor.IsNorm) rng.FillUniform(row, 0.5f, 1.5f);
                else rng.FillNormal(row, 0f, 0.02f);
                var destination = chunk.AsSpan((int)((long)r * rowBytes), rowBytes);
                if (type == GgmlType.F32)
                    System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.AsSpan()).CopyTo(destination);
                else
                    for (var i = 0; i < row.Length; i++)
                        System.Buffers.Binary.BinaryPrimitives.WriteHalfLittleEndian(destination[(2 * i)..], (Half)row[i]);
            });
            stream.Write(chunk, 0, count * rowBytes);
        }
    }

    /// <summary>SplitMix64 finalizer over a combination of two values: independent seeds per tensor and row.</summary>
    private static ulong Mix(ulong a, ulong b)
    {
        var z = a + 0x9E3779B97F4A7C15UL * (b + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
