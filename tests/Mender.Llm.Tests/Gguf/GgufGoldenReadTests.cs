using Mender.Llm.Gguf;
using Mender.TestSupport;
using Xunit;

namespace Mender.Llm.Tests.Gguf;

public sealed class GgufGoldenReadTests
{
    [SharedFact]
    public void Stories260KHeaderAndTensorTable()
    {
        using var file = GgufFile.Open(SharedData.PathOf("models/tiny/stories260K.gguf"));
        Assert.Equal(3, file.Version);
        Assert.Equal("llama", file.Architecture);
        Assert.Equal(64, file.GetInteger("llama.embedding_length"));
        Assert.Equal(5, file.GetInteger("llama.block_count"));
        Assert.Equal(8, file.GetInteger("llama.attention.head_count"));
        Assert.Equal(4, file.GetInteger("llama.attention.head_count_kv"));
        Assert.Equal(172, file.GetInteger("llama.feed_forward_length"));
        Assert.Equal(2048, file.GetInteger("llama.context_length"));
        Assert.Equal("llama", file.GetString("tokenizer.ggml.model"));
        var tokens = file.GetStringArray("tokenizer.ggml.tokens");
        Assert.NotNull(tokens);
        Assert.Equal(512, tokens.Length);
        Assert.Equal("<unk>", tokens[0]);
        Assert.Equal("<s>", tokens[1]);
        Assert.Equal("</s>", tokens[2]);
        Assert.Equal("<0x00>", tokens[3]);
        Assert.Equal("<0xFF>", tokens[258]);
        Assert.Equal(512, file.GetFloatArray("tokenizer.ggml.scores")!.Length);
        Assert.Equal(512, file.GetIntArray("tokenizer.ggml.token_type")!.Length);
        Assert.Equal(1, file.GetInteger("tokenizer.ggml.bos_token_id"));
        Assert.Equal(2, file.GetInteger("tokenizer.ggml.eos_token_id"));

        // 2 global tensors (embedding, final norm) + 9 per layer; the output matrix is tied in this file or separate.
        Assert.All(file.Tensors, t => Assert.Equal(GgmlType.F32, t.Type));
        var embd = file.FindTensor("token_embd.weight");
        Assert.NotNull(embd);
        Assert.Equal([64L, 512L], embd.Dimensions);
        Assert.Equal(64L * 512 * 4, embd.ByteSize);
        var q = file.FindTensor("blk.4.attn_q.weight")!;
        Assert.Equal([64L, 64L], q.Dimensions);
        var k = file.FindTensor("blk.4.attn_k.weight")!;
        Assert.Equal([64L, 32L], k.Dimensions);
        var down = file.FindTensor("blk.0.ffn_down.weight")!;
        Assert.Equal([172L, 64L], down.Dimensions);
        Assert.Null(file.FindTensor("blk.5.attn_q.weight"));
        Assert.Equal(5 * 9 + (file.FindTensor("output.weight") is null ? 2 : 3), file.Tensors.Count);
        foreach (var t in file.Tensors)
        {
            Assert.Equal(0, t.DataOffset % file.Alignment);
            Assert.True(t.DataOffset + t.ByteSize <= file.FileSize);
        }

        // Norm weights of a trained model are not all zero: the pointer reaches real data.
        var norm = file.FindTensor("output_norm.weight")!;
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(file.TensorBytes(norm));
        Assert.Equal(64, values.Length);
        Assert.Contains(values.ToArray(), v => v != 0 && float.IsFinite(v));
    }

    public static TheoryData<string> ReferenceModels()
    {
        var data = new TheoryData<string>();
        foreach (var name in new[]
                 {
                     "llama-tiny-F32", "llama-tiny-F16", "llama-tiny-Q8_0", "llama-tiny-Q4_0", "llama-tiny-Q4_K_M", "llama-tiny-Q6_K",
                     "qwen2-tiny-F32", "qwen2-tiny-F16", "qwen2-tiny-Q8_0", "qwen2-tiny-Q4_0", "qwen2-tiny-Q4_K_M", "qwen2-tiny-Q6_K",
                     "qwen3-tiny-F32",
                 })
            data.Add(name + ".gguf");
        return data;
    }

    /// <summary>The tensor table must match tensor_types.tsv (written by gguf-py) row for row.</summary>
    [SharedTheory]
    [MemberData(nameof(ReferenceModels))]
    public void ReferenceModelTensorTableMatchesTsv(string fileName)
    {
        var expected = File.ReadLines(SharedData.PathOf("models/reference/tensor_types.tsv"))
            .Skip(1)
            .Select(line => line.Split('\t'))
            .Where(cols => cols[0] == fileName)
            .ToDictionary(cols => cols[1]);
        Assert.NotEmpty(expected);

        using var file = GgufFile.Open(SharedData.PathOf("models/reference/" + fileName));
        Assert.Equal(fileName.Split('-')[0], file.Architecture);
        Assert.Equal(expected.Count, file.Tensors.Count);
        foreach (var t in file.Tensors)
        {
            var cols = expected[t.Name];
            Assert.Equal(cols[2], string.Join("x", t.Dimensions));
            Assert.Equal(cols[3], t.Type.ToString());
            Assert.Equal(long.Parse(cols[4]), t.ByteSize);
            Assert.True(t.DataOffset + t.ByteSize <= file.FileSize);
        }
        Assert.Equal(512, file.GetStringArray("tokenizer.ggml.tokens")!.Length);
        Assert.Equal(256, file.GetInteger(file.Architecture + ".embedding_length"));
        Assert.Equal(4, file.GetInteger(file.Architecture + ".block_count"));
    }

    [SharedFact]
    public void Qwen2VocabHasMergesAndChatTemplate()
    {
        using var file = GgufFile.Open(SharedData.PathOf("models/vocab/ggml-vocab-qwen2.gguf"));
        Assert.Empty(file.Tensors);
        Assert.Equal("gpt2", file.GetString("tokenizer.ggml.model"));
        Assert.Equal("qwen2", file.GetString("tokenizer.ggml.pre"));
        Assert.Equal(151936, file.GetStringArray("tokenizer.ggml.tokens")!.Length);
        Assert.NotEmpty(file.GetStringArray("tokenizer.ggml.merges")!);
        Assert.Contains("<|im_start|>", file.GetString("tokenizer.chat_template"));
    }
}
