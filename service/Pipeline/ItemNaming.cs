using Mender.Data;

namespace Mender.Service.Pipeline;

/// <summary>The words an item is named by, for checking against what a preference avoids.</summary>
internal static class ItemNaming
{
    /// <summary>Title, categories and attributes, not the description, which may say "no X".</summary>
    public static string Of(Item item) => string.Join(" | ", [item.Title, .. item.Categories, .. item.Attributes]);
}
