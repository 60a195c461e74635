using Mender.Data;

namespace Mender.Preference.Extraction;

/// <summary>
/// One prompt of the extraction job: the user's preferences as of <see cref="Step"/>, written from the review window
/// <c>[WindowStart, Step]</c>. Both are 0-based positions in the user's full chronological history.
/// </summary>
public sealed record ExtractionStep(User User, int Step, int WindowStart)
{
    /// <summary>How many reviews the step's window holds.</summary>
    public int WindowLength => Step - WindowStart + 1;

    /// <summary>The reviewed items of the window, oldest first.</summary>
    public ReviewWindow Window(Dataset dataset)
    {
        var entries = new ReviewedItem[WindowLength];
        for (var i = 0; i < entries.Length; i++)
        {
            var interaction = User.Interactions[WindowStart + i];
            if ((uint)interaction.ItemId >= (uint)dataset.Items.Count)
                throw new InvalidDataException(
                    $"user '{User.ExternalId}' refers to item {interaction.ItemId}, but dataset '{dataset.Name}' has {dataset.Items.Count} items");
            entries[i] = new ReviewedItem(dataset.Items[interaction.ItemId], interaction);
        }
        return new ReviewWindow(entries);
    }
}
