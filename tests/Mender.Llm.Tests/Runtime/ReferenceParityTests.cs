using Mender.Llm.Runtime;

namespace Mender.Llm.Tests.Runtime;

/// <summary>
/// Logit parity on every model of ../shared/models/reference, within the tolerances of its README: llama.cpp through
/// our layer must give llama.cpp's own logits (a regression test of the adapter: loading, batching, positions, the
/// KV cache in float32) and stay within the quantized-engine bounds of the float64 numpy logits.
/// </summary>
public sealed class ReferenceParityTests
{
    public static TheoryData<string> Models() => new(
        "llama-tiny-F32", "llama-tiny-F16", "llama-tiny-Q8_0", "llama-tiny-Q4_0", "llama-tiny-Q4_K_M", "llama-tiny-Q6_K",
        "qwen2-tiny-F32", "qwen2-tiny-F16", "qwen2-tiny-Q8_0", "qwen2-tiny-Q4_0", "qwen2-tiny-Q4_K_M", "qwen2-tiny-Q6_K",
        "qwen3-tiny-F32");

    [SharedTheory]
    [MemberData(nameof(Models))]
    public void LogitsMatchLlamaCppAndNumpy(string model)
    {
        using var llm = LlmModel.Load(SharedData.PathOf($"{ReferenceLogits.Folder}/{model}.gguf"),
            new LlmModelOptions { Threads = 1, Float32KvCache = true });
        var type = model[(model.LastIndexOf('-') + 1)..];
        var (l2Bound, maxBound) = type switch
        {
            "F32" => (1e-4, 1e-4),
            "F16" => (3e-3, 3e-3),
            _ => (5e-2, 0.1),
        };
        var compared = 0;
        foreach (var name in new[] { "S1", "S2", "S3" })
            compared += Check(model, name, llm.EvaluateLogits(ReferenceLogits.Sequence(name)), l2Bound, maxBound);
        compared += Check(model, "S2.all", llm.EvaluateLogits(ReferenceLogits.Sequence("S2"), allPositions: true), l2Bound, maxBound);
        Assert.True(compared >= 4, $"{model}: only {compared} reference files found");
    }

    private static int Check(string model, string sequence, float[] actual, double l2Bound, double maxBound)
    {
        var found = 0;
        foreach (var source in new[] { "logits", "numpy.logits" })
        {
            var expected = ReferenceLogits.Read($"{model}.{sequence}.{source}.txt");
            if (expected is null) continue;
            var (l2, max) = ReferenceLogits.Compare(actual, expected);
            Assert.True(l2 <= l2Bound && max <= maxBound, $"{model} {sequence} vs {source}: rel L2 {l2:e2}, max abs {max:e2}");
            found++;
        }
        return found;
    }
}
