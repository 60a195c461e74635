using Mender.Data.Demo;
using Mender.Service;
using Mender.Recommender.Model;
using Mender.TestWorlds;

namespace Mender.SemanticKernel.Tests;

/// <summary>A small demo world with a mender-mode checkpoint trained for a few steps, served for the plugin's tests.</summary>
public sealed class PluginWorld : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mender-plugin-" + Guid.NewGuid().ToString("N")[..12]);

    public PluginWorld()
    {
        var world = new DemoAmazonWorld(root, new DemoWorldOptions { Items = 120, Users = 100 });
        var config = MenderConfig.Preset("cpu");
        config = config with
        {
            Model = config.Model with { Mode = MenderMode.Mender },
            Training = config.Training with { MaxSteps = 20, EvalEvery = 20, WarmupSteps = 5, ValidationUsers = 30, BatchSize = 64 },
        };
        var checkpoint = world.Train(config, Path.Combine(root, "run"));
        Service = RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = checkpoint, Threads = 1 });
    }

    public RecommendationService Service { get; }

    public void Dispose()
    {
        Service.Dispose();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean up.
        }
    }
}
