namespace Mender.Recommender.Tests.Embeddings;

/// <summary>A small synthetic catalogue: four product families with their own vocabulary.</summary>
internal static class Corpus
{
    public static readonly string[][] Families =
    [
        ["nail", "polish", "lacquer", "gloss", "enamel", "topcoat", "manicure", "shimmer"],
        ["shampoo", "conditioner", "hair", "scalp", "curl", "keratin", "frizz", "volume"],
        ["lipstick", "lip", "balm", "matte", "liner", "tint", "gloss", "plump"],
        ["sunscreen", "spf", "lotion", "uv", "broad", "spectrum", "sport", "tan"],
    ];

    public static (string[] Texts, int[] Family) Make(int perFamily, int seed)
    {
        var random = new Random(seed);
        var texts = new List<string>();
        var family = new List<int>();
        for (var f = 0; f < Families.Length; f++)
            for (var i = 0; i < perFamily; i++)
            {
                var words = Enumerable.Range(0, 5).Select(_ => Families[f][random.Next(Families[f].Length)]);
                texts.Add($"{string.Join(' ', words)} {random.Next(1000)}");
                family.Add(f);
            }
        return (texts.ToArray(), family.ToArray());
    }
}
