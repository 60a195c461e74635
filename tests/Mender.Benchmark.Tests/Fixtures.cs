using Mender.Benchmark.Axes;
using Mender.Data.Demo;
using Mender.Data.Text;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Prompts;
using Mender.Preference.Storage;
using Mender.Recommender.Embeddings;

namespace Mender.Benchmark.Tests;

/// <summary>
/// A small demo world with preferences from the built-in extractor and the benchmark built on it, made once for all
/// tests of a class.
/// </summary>
public sealed class DemoBench : IDisposable
{
    public DemoBench()
    {
        World = DemoWorld.Generate(new DemoWorldOptions { Users = 120, Items = 300 });
        using (var store = PreferenceStore.Open(Folder.Sub("preferences")))
        {
            new ExtractionJob(World.Dataset, new LexiconPreferenceExtractor(), PromptLibrary.Load()).RunAsync(store).GetAwaiter().GetResult();
            Table = store.LoadTable();
        }
        Embedder = LexicalEmbeddingGenerator.Fit(World.Dataset.Items.Select(ItemText.Render).ToList(), new LexicalEmbedderOptions { Dimensions = 64 });
        Set = BenchmarkBuilder.BuildAsync(World.Dataset, Table, Embedder).GetAwaiter().GetResult();
    }

    public TempFolder Folder { get; } = new();
    public DemoWorld World { get; }
    public PreferenceTable Table { get; }
    public LexicalEmbeddingGenerator Embedder { get; }
    public BenchmarkSet Set { get; }

    public void Dispose() => Folder.Dispose();
}

public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mender-bench-" + Guid.NewGuid().ToString("N")[..12]);

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finished test is left for the OS to clean up.
        }
    }
}
