using System.ComponentModel;
using System.Text.Json.Serialization;
using Mender.Service;
using Microsoft.SemanticKernel;

namespace Mender.SemanticKernel;

/// <summary>
/// The recommender as Semantic Kernel functions, for agents that recommend products: add it with
/// <c>kernel.Plugins.AddFromObject(new MenderPlugin(service), "mender")</c> and a function-calling chat model can ask for
/// recommendations steered by what the shopper says, read preferences from reviews, explain an item and search the
/// catalogue. The service (a trained checkpoint, opened with <see cref="RecommendationService.Open(RecommendationServiceOptions)"/>)
/// stays the caller's.
/// </summary>
public sealed class MenderPlugin(RecommendationService service)
{
    /// <summary>The most items one call returns.</summary>
    public const int MaxItems = 50;

    /// <summary>Recommends products for a shopper, steered by the preference the shopper put in words.</summary>
    [KernelFunction("recommend")]
    [Description("Recommends products for a shopper from the catalogue, best first, steered by what the shopper asks for in words. " +
        "Give the shopper's user_id, or the ids of products the shopper bought (history), or both.")]
    public async Task<RecommendationList> RecommendAsync(
        [Description("The shopper's id in the store's data; empty for a shopper the store does not know")] string? user_id = null,
        [Description("Ids of products the shopper bought or liked, oldest first, separated by commas")] string? history = null,
        [Description("What the shopper wants in words, e.g. 'a fragrance-free moisturizer for dry skin, no glitter'; empty for no preference")] string? preference = null,
        [Description("How many products to return, 1 to 50")] int k = 5,
        CancellationToken cancellationToken = default)
    {
        if (k is < 1 or > MaxItems) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and {MaxItems}");
        var request = new RecommendationRequest
        {
            UserId = string.IsNullOrWhiteSpace(user_id) ? null : user_id.Trim(),
            History = string.IsNullOrWhiteSpace(history) ? null : history.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            Preference = string.IsNullOrWhiteSpace(preference) ? null : preference.Trim(),
            K = k,
        };
        var response = await service.RecommendAsync(request, cancellationToken).ConfigureAwait(false);
        return new RecommendationList(
            response.Items.Select(i => new RecommendedProduct(i.ItemId, i.Title, i.Reason, i.ColdStart)).ToList(),
            response.Preference, response.Mode);
    }

    /// <summary>Reads a shopper's reviews and returns the likes and dislikes they state, each with its sentiment.</summary>
    [KernelFunction("extract_preferences")]
    [Description("Reads a shopper's product reviews and sums up what the shopper likes and avoids, as short preferences.")]
    public async Task<IReadOnlyList<StatedPreference>> ExtractPreferencesAsync(
        [Description("The shopper's reviews, one text per reviewed product")] string[] reviews,
        CancellationToken cancellationToken = default)
    {
        if (reviews.Length == 0) throw new ArgumentException("give at least one review", nameof(reviews));
        var extracted = await service.ExtractPreferencesAsync(reviews.Select(r => new ReviewInput("", null, null, r)).ToList(), cancellationToken)
            .ConfigureAwait(false);
        return extracted.Preferences.Select(p => new StatedPreference(p.Text, p.Sentiment.ToString().ToLowerInvariant())).ToList();
    }

    /// <summary>Says in one line why a product suits a shopper or a request.</summary>
    [KernelFunction("explain")]
    [Description("Says in one line why a product suits a shopper: what of the request or of the shopper's past purchases it matches.")]
    public string Explain(
        [Description("The product's id")] string item_id,
        [Description("The shopper's id; empty to explain against the preference alone")] string? user_id = null,
        [Description("What the shopper asked for, if anything")] string? preference = null) =>
        service.Explain(item_id, string.IsNullOrWhiteSpace(user_id) ? null : user_id, preference);

    /// <summary>Searches the catalogue by title and attributes, best match first.</summary>
    [KernelFunction("find_items")]
    [Description("Searches the catalogue for products whose title and attributes match a query, best match first.")]
    public async Task<IReadOnlyList<FoundProduct>> FindItemsAsync(
        [Description("Words to search for, e.g. 'vanilla body lotion'")] string query,
        [Description("How many products to return, 1 to 50")] int k = 10,
        CancellationToken cancellationToken = default)
    {
        if (k is < 1 or > MaxItems) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and {MaxItems}");
        var found = await service.FindItemsAsync(query, k, cancellationToken).ConfigureAwait(false);
        return found.Select(f => new FoundProduct(f.Item.ExternalId, f.Item.Title, MathF.Round(f.Similarity, 4))).ToList();
    }
}

/// <summary>What <c>recommend</c> returns: the products, the preference the model was steered by, and the model's mode.</summary>
public sealed record RecommendationList(
    [property: JsonPropertyName("items")] IReadOnlyList<RecommendedProduct> Items,
    [property: JsonPropertyName("preference")] string? Preference,
    [property: JsonPropertyName("mode")] string Mode);

/// <summary>One product that <c>recommend</c> returns.</summary>
/// <param name="ItemId">The product's id in the store's data.</param>
/// <param name="Title">The product's title, for the agent to show.</param>
/// <param name="Reason">Why the product was chosen, when the model gave a reason.</param>
/// <param name="ColdStart">True for a product with no purchase history, placed from its content alone.</param>
public sealed record RecommendedProduct(
    [property: JsonPropertyName("item_id")] string ItemId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("new")] bool ColdStart);

/// <summary>One preference that <c>extract_preferences</c> read from the reviews.</summary>
/// <param name="Text">The preference in short words, e.g. "fragrance-free".</param>
/// <param name="Sentiment">Whether the shopper likes or avoids it, in lower case.</param>
public sealed record StatedPreference([property: JsonPropertyName("text")] string Text, [property: JsonPropertyName("sentiment")] string Sentiment);

/// <summary>One catalogue match that <c>find_items</c> returns.</summary>
/// <param name="ItemId">The product's id in the store's data.</param>
/// <param name="Title">The product's title.</param>
/// <param name="Similarity">How closely the product matches the query, rounded to four decimals; higher is closer.</param>
public sealed record FoundProduct(
    [property: JsonPropertyName("item_id")] string ItemId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("similarity")] float Similarity);
