using System.Text.RegularExpressions;

namespace Mender.Cli.Tests;

/// <summary>The deployment files start silos with options the CLI has, so they do not drift from it unnoticed.</summary>
public sealed partial class DeployFilesTests
{
    [Fact]
    public void EveryOptionTheDeploymentFilesGiveASiloExists()
    {
        var help = CliRunner.Run("cluster", "silo", "--help");
        Assert.Equal(0, help.ExitCode);
        var deploy = Path.Combine(SharedData.RepoRoot, "deploy");
        var files = Directory.GetFiles(deploy, "*.y*ml", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("docker-compose.yml", StringComparison.Ordinal));
        Assert.True(files.Length >= 4, string.Join(", ", files));

        var checkedOptions = 0;
        foreach (var file in files)
            foreach (Match line in SiloCommand().Matches(File.ReadAllText(file)))
                foreach (Match option in OptionName().Matches(line.Value))
                {
                    Assert.True(help.Stdout.Contains(option.Value + " ", StringComparison.Ordinal) || help.Stdout.Contains(option.Value + ",", StringComparison.Ordinal),
                        $"{Path.GetFileName(file)} gives the silo {option.Value}, which `mender cluster silo` does not have");
                    checkedOptions++;
                }
        Assert.True(checkedOptions >= 5, $"only {checkedOptions} silo options found in the deployment files");
    }

    [GeneratedRegex(@"\[""cluster"", ""silo""[^\]]*\]")]
    private static partial Regex SiloCommand();

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex OptionName();
}
