using Mender.Data;

namespace Mender.Preference.Extraction;

/// <summary>An item the user interacted with, and the interaction (rating, review) itself.</summary>
public sealed record ReviewedItem(Item Item, Interaction Interaction);

/// <summary>The consecutive reviewed items one extraction prompt looks at, oldest first.</summary>
public sealed record ReviewWindow(IReadOnlyList<ReviewedItem> Entries);
