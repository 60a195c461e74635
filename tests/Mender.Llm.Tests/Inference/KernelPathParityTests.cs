using Mender.Llm.Inference;
using Mender.Llm.Tests.Kernels;
using Mender.TestSupport;
using Xunit;

namespace Mender.Llm.Tests.Inference;

/// <summary>
/// Whole-model logits on every kernel path this CPU has (scalar, AVX2, AVX-512), against the float64 numpy reference:
/// S2 as one batch (the tiled path) and token by token (the row-dot path).
/// </summary>
[Collection(SimdPathCollection.Name)]
public sealed class KernelPathParityTests
{
    public static TheoryData<string> Paths() => SimdPathCollection.AvailablePaths();

    [SharedTheory]
    [MemberData(nameof(Paths))]
    public void Logits_match_numpy_on_every_kernel_path(string path)
    {
        SimdPathCollection.With(path, () =>
        {
            foreach (var model in new[] { "llama-tiny-Q4_K_M", "qwen2-tiny-Q4_0", "qwen3-tiny-F32" })
            {
                using var llm = LlmModel.Load(SharedData.PathOf($"{ReferenceLogits.Folder}/{model}.gguf"), threads: 2);
                using var session = llm.CreateSession(contextLength: 32);
                var tokens = ReferenceLogits.Sequence("S2");
                var expected = ReferenceLogits.Read($"{model}.S2.numpy.logits.txt")!;

                var batched = session.Forward(tokens).ToArray();
                session.ResetSequence(0);
                float[] stepwise = [];
                foreach (var token in tokens) stepwise = session.Forward([token]).ToArray();

                foreach (var (how, actual) in new[] { ("batch", batched), ("token by token", stepwise) })
                {
                    var (l2, max) = ReferenceLogits.Compare(actual, expected);
                    Assert.True(l2 <= 1e-4 && max <= 1e-4, $"{model} on {path} ({how}): rel L2 {l2:e2}, max abs {max:e2}");
                }
            }
        });
    }
}
