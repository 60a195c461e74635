using Mender.Llm.Inference;
using Mender.TestSupport;
using Xunit;

namespace Mender.Llm.Tests.Inference;

/// <summary>
/// Logit parity on every model of ../shared/models/reference, within the tolerances of its README. The engine
/// dequantizes weights and computes in float32, so it is held to the strict 1e-4 bound against the float64 numpy
/// logits of the same file for every type, and to the README's bounds against llama.cpp (which quantizes activations).
/// Every sequence runs as one batch (S2.all: every position) and token by token.
/// </summary>
public sealed class ReferenceParityTests
{
    public static TheoryData<string> Models() => new(
        "llama-tiny-F32", "llama-tiny-F16", "llama-tiny-Q8_0", "llama-tiny-Q4_0", "llama-tiny-Q4_K_M", "llama-tiny-Q6_K",
        "qwen2-tiny-F32", "qwen2-tiny-F16", "qwen2-tiny-Q8_0", "qwen2-tiny-Q4_0", "qwen2-tiny-Q4_K_M", "qwen2-tiny-Q6_K",
        "qwen3-tiny-F32");

    [SharedTheory]
    [MemberData(nameof(Models))]
    public void Logits_match_llama_cpp_and_numpy(string model)
    {
        // One thread: these models are tiny, and the threaded kernels are covered by the MatMul and session tests.
        using var llm = LlmModel.Load(SharedData.PathOf($"{ReferenceLogits.Folder}/{model}.gguf"), threads: 1);
        using var session = llm.CreateSession(contextLength: 256);
        var type = model[(model.LastIndexOf('-') + 1)..];
        var (cppL2, cppMax) = type switch
        {
            "F32" => (1e-4, 1e-4),
            "F16" => (3e-3, 3e-3),
            _ => (5e-2, 0.1),
        };
        var compared = 0;
        foreach (var name in new[] { "S1", "S2", "S3" })
        {
            var tokens = ReferenceLogits.Sequence(name);

            session.ResetSequence(0);
            var batched = session.Forward(tokens).ToArray();
            compared += Check(model, name, "batch", batched, cppL2, cppMax);

            session.ResetSequence(0);
            float[] stepwise = [];
            foreach (var token in tokens) stepwise = session.Forward([token]).ToArray();
            compared += Check(model, name, "token by token", stepwise, cppL2, cppMax);
        }

        var s2 = ReferenceLogits.Sequence("S2");
        var all = new float[s2.Length * llm.Config.VocabSize];
        session.ResetSequence(0);
        session.ForwardAllLogits(s2, 0, all);
        compared += Check(model, "S2.all", "batch", all, cppL2, cppMax);
        Assert.True(compared >= 4, $"{model}: only {compared} reference files found");
    }

    private static int Check(string model, string sequence, string how, float[] actual, double cppL2, double cppMax)
    {
        var found = 0;
        var numpy = ReferenceLogits.Read($"{model}.{sequence}.numpy.logits.txt");
        if (numpy is not null)
        {
            var (l2, max) = ReferenceLogits.Compare(actual, numpy);
            Assert.True(l2 <= 1e-4 && max <= 1e-4, $"{model} {sequence} ({how}) vs numpy: rel L2 {l2:e2}, max abs {max:e2}");
            found++;
        }
        var cpp = ReferenceLogits.Read($"{model}.{sequence}.logits.txt");
        if (cpp is not null)
        {
            var (l2, max) = ReferenceLogits.Compare(actual, cpp);
            Assert.True(l2 <= cppL2 && max <= cppMax, $"{model} {sequence} ({how}) vs llama.cpp: rel L2 {l2:e2}, max abs {max:e2}");
            found++;
        }
        return found;
    }
}
