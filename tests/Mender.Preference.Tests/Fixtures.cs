using Mender.Data;
using Mender.Preference.Extraction;

namespace Mender.Preference.Tests;

/// <summary>Small in-memory datasets and temporary folders for the tests.</summary>
internal static class Fixtures
{
    public static readonly string[] Reviews =
    [
        "I love the lavender scent, so relaxing.",
        "Way too greasy for my face.",
        "The glitter got everywhere, I hate it.",
        "Finally a fragrance-free lotion that works.",
        "Not moisturizing enough for my dry skin.",
        "Five stars.",
        "The matte finish is beautiful and lasts all day.",
        "It broke me out, never again.",
        "Great shampoo, my curly hair loves it.",
        "The citrus smell is too strong.",
    ];

    /// <summary>Users with <paramref name="historyLength"/> reviewed items each; review i of user u is Reviews[(u + i) % n].</summary>
    public static Dataset Dataset(int users, int historyLength, int items = 12)
    {
        var catalogue = Enumerable.Range(0, items).Select(i => new Item(i, $"I{i}", $"Product {i}", Brand: "Acmeglow")).ToArray();
        var list = new List<User>();
        for (var u = 0; u < users; u++)
        {
            var interactions = new List<Interaction>();
            for (var i = 0; i < historyLength; i++)
            {
                var review = Reviews[(u + i) % Reviews.Length];
                var rating = review.Contains("hate") || review.Contains("greasy") || review.Contains("broke") || review.Contains("too strong") ? 2f : 5f;
                interactions.Add(new Interaction((u * 3 + i) % items, 1000 + i, rating, "Review", review));
            }
            list.Add(new User(u, $"U{u}", interactions));
        }
        return new Dataset("fixture", catalogue, list);
    }

    public static ReviewWindow Window(params (string Text, float Rating)[] reviews) =>
        new(reviews.Select((r, i) => new ReviewedItem(new Item(i, $"I{i}", $"Item {i}"), new Interaction(i, i, r.Rating, null, r.Text))).ToArray());

    public static ReviewWindow Window(string text, float rating = 5) => Window((text, rating));
}

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mender-prefs-" + Guid.NewGuid().ToString("N")[..12]);

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
