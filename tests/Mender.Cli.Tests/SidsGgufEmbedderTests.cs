namespace Mender.Cli.Tests;

public class SidsGgufEmbedderTests
{
    [SharedFact]
    public void SidsBuildEmbedsItemTextWithAGgufModel()
    {
        var work = Directory.CreateTempSubdirectory("mender-sids-gguf-").FullName;
        try
        {
            var generate = CliRunner.RunIn(work, "data", "generate-demo", "--out", "demo", "--items", "80", "--users", "40", "--json");
            Assert.True(generate.ExitCode == 0, generate.Stderr);
            var model = SharedData.PathOf("models/tiny/stories260K.gguf");

            var build = CliRunner.RunIn(work, "sids", "build", "demo", "--embedder", model, "--pooling", "last", "--out", "sids", "--json");

            Assert.True(build.ExitCode == 0, build.Stderr);
            var quality = build.Json().GetProperty("quality");
            Assert.Equal($"gguf-stories260K-{new FileInfo(model).Length}-lasttoken", quality.GetProperty("embedder").GetString());
            Assert.Equal(64, quality.GetProperty("embedding_dimensions").GetInt32());
            Assert.Equal(80, quality.GetProperty("items").GetInt32());
            Assert.Equal(1, quality.GetProperty("max_collision_group").GetInt32());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
