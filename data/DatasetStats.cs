namespace Mender.Data;

/// <summary>Size and shape of a dataset. History lengths are per user; density is interactions / (users × items).</summary>
public sealed record DatasetStats(
    int Users,
    int Items,
    long Interactions,
    double Density,
    double MeanHistory,
    double MedianHistory,
    int MinHistory,
    int MaxHistory,
    int ItemsWithoutInteractions,
    long Ratings,
    long Reviews)
{
    /// <summary>The statistics of <paramref name="dataset"/>.</summary>
    public static DatasetStats Compute(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var users = dataset.Users.Count;
        var items = dataset.Items.Count;
        var lengths = new int[users];
        var seen = new bool[items];
        long interactions = 0, ratings = 0, reviews = 0;
        for (var u = 0; u < users; u++)
        {
            var history = dataset.Users[u].Interactions;
            lengths[u] = history.Count;
            interactions += history.Count;
            foreach (var interaction in history)
            {
                if ((uint)interaction.ItemId < (uint)items) seen[interaction.ItemId] = true;
                if (interaction.Rating is not null) ratings++;
                if (!string.IsNullOrEmpty(interaction.ReviewText) || !string.IsNullOrEmpty(interaction.Summary)) reviews++;
            }
        }

        Array.Sort(lengths);
        var median = users == 0 ? 0
            : users % 2 == 1 ? lengths[users / 2]
            : (lengths[users / 2 - 1] + lengths[users / 2]) / 2.0;
        var cells = (double)users * items;
        return new DatasetStats(
            users,
            items,
            interactions,
            cells == 0 ? 0 : interactions / cells,
            users == 0 ? 0 : (double)interactions / users,
            median,
            users == 0 ? 0 : lengths[0],
            users == 0 ? 0 : lengths[^1],
            seen.Count(s => !s),
            ratings,
            reviews);
    }
}
