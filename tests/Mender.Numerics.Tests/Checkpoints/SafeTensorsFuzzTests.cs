using Mender.Numerics.Checkpoints;
using Mender.Numerics.Modules;
using Mender.Numerics.Operations;
using Xunit.Abstractions;

namespace Mender.Numerics.Tests.Checkpoints;

/// <summary>Damaged safetensors files are refused with InvalidDataException, whatever the damage.</summary>
public sealed class SafeTensorsFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("mender-safetensors-fuzz-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void MutatedFilesLoadOrFailWithAUserFacingError()
    {
        var model = new Mlp([6, 4, 3], Activation.Relu, new Rng(1));
        var valid = Path.Combine(dir, "valid.safetensors");
        Checkpoint.SaveParameters(valid, model, new Dictionary<string, string> { ["format"] = "pt" });
        var path = Path.Combine(dir, "mutated.safetensors");

        var rounds = MutationFuzzer.Run([File.ReadAllBytes(valid)], seed: 18, TimeSpan.FromSeconds(3), input =>
        {
            File.WriteAllBytes(path, input);
            Checkpoint.LoadParameters(path, new Mlp([6, 4, 3], Activation.Relu, new Rng(2)));
        }, e => e is InvalidDataException);

        output.WriteLine($"{rounds} mutated safetensors files");
        Assert.True(rounds > 100, $"only {rounds} inputs in the time budget");
    }
}
