using System.Text;
using Mender.Data;
using Mender.Data.Formats;
using Xunit.Abstractions;

namespace Mender.Data.Tests;

/// <summary>
/// Damaged dataset files of every format load or fail with a user-facing error (InvalidDataException, or
/// FormatException for a malformed record), never anything else: each case mutates one file beside valid companions.
/// </summary>
public sealed class DatasetFuzzTests(ITestOutputHelper output)
{
    private const string Review2014 = """{"reviewerID": "U1", "asin": "A", "reviewerName": "X", "helpful": [0, 0], "reviewText": "soft and nice", "overall": 5.0, "summary": "Good", "unixReviewTime": 1400000000, "reviewTime": "05 13, 2014"}""";
    private const string Review2018 = """{"overall": 3.0, "vote": "2", "verified": false, "reviewTime": "11 14, 2013", "reviewerID": "U2", "asin": "B", "style": {"Size:": " 7.0 oz"}, "reviewerName": "S", "reviewText": "ok", "summary": "Three", "unixReviewTime": 1384387200}""";

    /// <summary>A format's valid files (name → content) and which of them is mutated; the loader is given the mutated file.</summary>
    public static TheoryData<string> Formats() => ["sequences", "sequence items", "gzipped sequences", "recbole", "amazon 2014", "amazon meta", "amazon 2018", "steam", "cache manifest"];

    private static (Dictionary<string, byte[]> Files, string Mutated) Valid(string format)
    {
        static byte[] Text(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        var sequences = Text("U1 I1 I2 I3", "U2 I2 I3", "U3 I3 I1 I2 I1");
        var items = Text("""{"item_id": "I1", "asin": "A1", "title": "nail lacquer", "attributes": ["OPI", "Makeup"]}""",
            """{"item_id": "I2", "asin": "A2", "title": "eye shadow", "attributes": ["Makeup"]}""",
            """{"item_id": "I3", "asin": "A3", "title": "cream", "attributes": []}""");
        var meta = Text("{'asin': 'A', 'title': 'Bowl', 'price': 3.5, 'categories': [['Pets', 'Dogs']], 'brand': 'Acme'}", "{'asin': 'B', 'title': 'Leash', 'description': 'long'}");
        return format switch
        {
            "sequences" => (new() { ["sequences.txt"] = sequences, ["items.jsonl"] = items }, "sequences.txt"),
            "sequence items" => (new() { ["sequences.txt"] = sequences, ["items.jsonl"] = items }, "items.jsonl"),
            "gzipped sequences" => (new() { ["sequences.txt.gz"] = Gzip(sequences) }, "sequences.txt.gz"),
            "recbole" => (new()
            {
                ["m.inter"] = Text("user_id:token\titem_id:token\trating:float\ttimestamp:float", "2\t1\t4\t881250949", "1\t2\t3\t891717742", "2\t2\t5\t881250000"),
                ["m.item"] = Text("item_id:token\tmovie_title:token_seq\tclass:token_seq", "1\tToy Story\tAnimation Comedy", "2\tGoldenEye\tAction"),
            }, "m.inter"),
            "amazon 2014" => (new() { ["reviews_Pets_5.json"] = Text(Review2014, Review2014.Replace("U1", "U2")), ["meta_Pets.json"] = meta }, "reviews_Pets_5.json"),
            "amazon meta" => (new() { ["reviews_Pets_5.json"] = Text(Review2014), ["meta_Pets.json"] = meta }, "meta_Pets.json"),
            "amazon 2018" => (new() { ["Luxury_5.json"] = Text(Review2018, Review2018.Replace("U2", "U3")) }, "Luxury_5.json"),
            "steam" => (new()
            {
                ["steam_games.json"] = Text(
                    "{u'publisher': u'Kotoshiro', u'genres': [u'Action', u'Indie'], u'app_name': u'Lost Summoner Kitty', u'url': u'http://x/761140/', u'tags': [u'Strategy'], u'price': 4.99, u'early_access': False, u'id': u'761140'}",
                    "{u'app_name': u'Caf\\xe9 Game', u'id': u'5', u'price': u'Install Now', u'early_access': True, u'url': u'x'}"),
            }, "steam_games.json"),
            "cache manifest" => CacheFiles(sequences),
            _ => throw new ArgumentException(format),
        };
    }

    private static (Dictionary<string, byte[]>, string) CacheFiles(byte[] sequences)
    {
        using var folder = new TempFolder();
        folder.Write("src/sequences.txt", Encoding.UTF8.GetString(sequences));
        var cache = Path.Combine(folder.Path, "cache");
        DatasetCache.Write(DatasetLoader.Load(Path.Combine(folder.Path, "src")), cache, new Provenance("fuzz", new Dictionary<string, string>()));
        return (Directory.GetFiles(cache).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes), CacheManifest.FileName);
    }

    private static byte[] Gzip(byte[] data)
    {
        var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal)) gzip.Write(data);
        return buffer.ToArray();
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void MutatedFilesLoadOrFailWithAUserFacingError(string format)
    {
        var (files, mutated) = Valid(format);
        using var folder = new TempFolder();
        foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(folder.Path, name), bytes);
        var target = Path.Combine(folder.Path, mutated);
        var load = format == "cache manifest" ? folder.Path : target;
        DatasetLoader.Load(load);

        var rounds = MutationFuzzer.Run([files[mutated]], seed: 18, TimeSpan.FromSeconds(2), input =>
        {
            File.WriteAllBytes(target, input);
            DatasetLoader.Load(load);
        }, e => e is InvalidDataException or FormatException);

        output.WriteLine($"{format}: {rounds} mutated inputs");
        Assert.True(rounds > 50, $"only {rounds} inputs in the time budget");
    }
}
