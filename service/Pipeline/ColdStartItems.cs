using Mender.Recommender.ColdStart;
using Mender.Recommender.Embeddings;

namespace Mender.Service.Pipeline;

/// <summary>
/// The cold-start items registered beside a checkpoint, reread when their file changes, so that a running service
/// picks up items added while it runs.
/// </summary>
internal sealed class ColdStartItems(string checkpoint, LexicalEmbeddingGenerator embedder, string embedderSpec)
{
    private readonly Lock gate = new();
    private ColdStartCatalog? catalog;
    private DateTime stamp;

    /// <summary>The items as they are now; null when none are registered.</summary>
    public ColdStartCatalog? Current()
    {
        var path = Path.Combine(ColdStartCatalog.FolderOf(checkpoint), ColdStartCatalog.ItemsFile);
        lock (gate)
        {
            if (!File.Exists(path))
            {
                catalog = null;
                return null;
            }
            var written = File.GetLastWriteTimeUtc(path);
            if (catalog is null || written != stamp)
            {
                catalog = ColdStartCatalog.Open(checkpoint, embedder, embedderSpec);
                stamp = written;
            }
            return catalog;
        }
    }
}
