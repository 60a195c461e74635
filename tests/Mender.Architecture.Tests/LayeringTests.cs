using System.Xml.Linq;

namespace Mender.Architecture.Tests;

/// <summary>
/// The projects form layers, and a project may reference only projects of a lower rank: never one beside it (the same
/// rank) or above it. The ranks, lowest first:
/// <list type="table">
/// <item><term>10</term><description>numerics/: tensors, kernels, autograd</description></item>
/// <item><term>20</term><description>llm/: the layer over LLamaSharp</description></item>
/// <item><term>30</term><description>data/: datasets, loaders, the demo world, run directories</description></item>
/// <item><term>40</term><description>recommender/: semantic IDs, the model, beam search</description></item>
/// <item><term>50</term><description>preference/: extraction, storage, matching</description></item>
/// <item><term>60</term><description>service/: the recommendation service</description></item>
/// <item><term>61</term><description>plugin/: the Semantic Kernel plugin over the service</description></item>
/// <item><term>70</term><description>benchmark/: benchmarks and the demo pipeline</description></item>
/// <item><term>80</term><description>server/: the HTTP API</description></item>
/// <item><term>80</term><description>cluster/: the Orleans silo and job submission (beside the server: neither uses the other)</description></item>
/// <item><term>81</term><description>cli/: the command line, the top</description></item>
/// </list>
/// Test projects (under tests/) are not layers: they may reference whatever they test.
/// </summary>
public class LayeringTests
{
    private static readonly Dictionary<string, int> Ranks = new(StringComparer.Ordinal)
    {
        ["numerics"] = 10,
        ["llm"] = 20,
        ["data"] = 30,
        ["recommender"] = 40,
        ["preference"] = 50,
        ["service"] = 60,
        ["plugin"] = 61,
        ["benchmark"] = 70,
        ["server"] = 80,
        ["cluster"] = 80,
        ["cli"] = 81,
    };

    [Fact]
    public void EveryProjectReferencesOnlyLowerLayers()
    {
        var root = RepositoryRoot();
        var violations = new List<string>();
        foreach (var project in LibraryProjects(root))
        {
            var rank = RankOf(root, project);
            foreach (var reference in ProjectReferences(project))
            {
                var referencedRank = RankOf(root, reference);
                if (referencedRank >= rank)
                    violations.Add($"{Relative(root, project)} (rank {rank}) references {Relative(root, reference)} (rank {referencedRank})");
            }
        }
        Assert.True(violations.Count == 0, "references beside or above a layer:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void EveryProjectHasARank()
    {
        var root = RepositoryRoot();
        var projects = LibraryProjects(root).ToList();
        Assert.NotEmpty(projects);
        var unranked = projects.Where(p => !Ranks.ContainsKey(LayerOf(root, p))).Select(p => Relative(root, p)).ToList();
        Assert.True(unranked.Count == 0, "projects without a rank in LayeringTests: " + string.Join(", ", unranked));
    }

    /// <summary>Every csproj outside tests/, bin/ and obj/.</summary>
    private static IEnumerable<string> LibraryProjects(string root) =>
        Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(p =>
            {
                var parts = Relative(root, p).Split('/');
                return parts[0] != "tests" && !parts.Contains("bin") && !parts.Contains("obj") && !parts[0].StartsWith('.');
            })
            .Order(StringComparer.Ordinal);

    private static IEnumerable<string> ProjectReferences(string project)
    {
        var directory = Path.GetDirectoryName(project)!;
        return XDocument.Load(project).Descendants("ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>()
            .Select(include => Path.GetFullPath(Path.Combine(directory, include.Replace('\\', '/'))));
    }

    private static int RankOf(string root, string project) =>
        Ranks.TryGetValue(LayerOf(root, project), out var rank)
            ? rank
            : throw new InvalidOperationException($"{Relative(root, project)} has no rank in LayeringTests");

    /// <summary>A project's layer is the top-level folder it lives in.</summary>
    private static string LayerOf(string root, string project) => Relative(root, project).Split('/')[0];

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mender.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no Mender.sln above {AppContext.BaseDirectory}");
    }
}
