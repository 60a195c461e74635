using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace Mender.Benchmark.Axes;

/// <summary>L2-normalised text embeddings, one row per text, so that a dot product is a cosine.</summary>
internal sealed class ItemVectors
{
    private const int BatchSize = 256;
    private readonly float[][] rows;

    private ItemVectors(float[][] rows) => this.rows = rows;

    public static async Task<ItemVectors> EmbedAsync(IReadOnlyList<string> texts, IEmbeddingGenerator<string, Embedding<float>> embedder,
        CancellationToken cancellation)
    {
        var rows = new float[texts.Count][];
        for (var start = 0; start < texts.Count; start += BatchSize)
        {
            var batch = texts.Skip(start).Take(BatchSize).ToList();
            var embeddings = await embedder.GenerateAsync(batch, cancellationToken: cancellation).ConfigureAwait(false);
            if (embeddings.Count != batch.Count)
                throw new InvalidOperationException($"the embedder returned {embeddings.Count} embeddings for {batch.Count} texts");
            for (var i = 0; i < batch.Count; i++)
            {
                var vector = embeddings[i].Vector.ToArray();
                if (start + i > 0 && vector.Length != rows[0].Length)
                    throw new InvalidOperationException($"the embedder returned vectors of different widths ({rows[0].Length} and {vector.Length})");
                var norm = TensorPrimitives.Norm(vector);
                // A text with no known word embeds to zeros and stays zero: it is similar to nothing.
                if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
                rows[start + i] = vector;
            }
        }
        return new ItemVectors(rows);
    }

    public float Cosine(int a, int b) => TensorPrimitives.Dot(rows[a], rows[b]);
}
