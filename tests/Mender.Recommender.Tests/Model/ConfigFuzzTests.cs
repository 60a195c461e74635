using System.Text;
using Mender.Recommender.Model;
using Xunit.Abstractions;

namespace Mender.Recommender.Tests.Model;

/// <summary>Damaged training configs load and validate, or fail with a user-facing error, whatever the damage.</summary>
public sealed class ConfigFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void MutatedConfigsLoadOrFailWithAUserFacingError()
    {
        const string valid = """{"model": {"model_dim": 64, "heads": 4, "head_dim": 16, "dropout": 0.1, "mode": "tiger", "codebook_sizes": [256, 256]}, "training": {"batch_size": 128, "learning_rate": 0.002, "max_steps": 200000}}""";
        var path = Path.Combine(Path.GetTempPath(), "mender-config-fuzz-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var rounds = MutationFuzzer.Run([Encoding.UTF8.GetBytes(valid)], seed: 18, TimeSpan.FromSeconds(2), input =>
            {
                File.WriteAllBytes(path, input);
                var config = MenderConfig.Load(path);
                config.Model.ValidateSizes();
                config.Training.Validate();
            }, e => e is InvalidDataException or ArgumentException);
            output.WriteLine($"{rounds} mutated configs");
            Assert.True(rounds > 50, $"only {rounds} inputs in the time budget");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
