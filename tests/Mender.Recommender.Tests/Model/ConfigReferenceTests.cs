using System.Text.Json;
using System.Text.RegularExpressions;
using Mender.Recommender.Model;
using Mender.TestSupport;

namespace Mender.Recommender.Tests.Model;

/// <summary>The README's table of config file settings names every setting a file may hold, with each preset's value as the file spells it.</summary>
public sealed partial class ConfigReferenceTests
{
    [Fact]
    public void TheReadmeListsEverySettingWithThePresetsValues()
    {
        var readme = File.ReadAllText(Path.Combine(SharedData.RepoRoot, "README.md"));
        var rows = Row().Matches(readme).ToDictionary(m => m.Groups["key"].Value, m => (Paper: m.Groups["paper"].Value, Cpu: m.Groups["cpu"].Value));
        var paper = JsonSerializer.SerializeToElement(MenderConfig.Preset("paper"), MenderConfig.Json);
        var cpu = JsonSerializer.SerializeToElement(MenderConfig.Preset("cpu"), MenderConfig.Json);
        var keys = new List<string>();
        foreach (var (section, type) in new[] { ("model", typeof(MenderModelConfig)), ("training", typeof(MenderTrainingConfig)) })
            foreach (var (name, _) in ConfigKeys.Settings(type))
            {
                var key = $"{section}.{name}";
                keys.Add(key);
                Assert.True(rows.TryGetValue(key, out var row), $"the README's config table lacks `{key}`");
                Assert.Equal(paper.GetProperty(section).GetProperty(name).GetRawText(), row.Paper);
                Assert.Equal(cpu.GetProperty(section).GetProperty(name).GetRawText(), row.Cpu);
            }
        Assert.Empty(rows.Keys.Except(keys));
    }

    [GeneratedRegex(@"^\| `(?<key>(?:model|training)\.[a-z_0-9]+)` \| (?<paper>[^|]+) \| (?<cpu>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
