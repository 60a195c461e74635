using Mender.Data;

namespace Mender.Data.Tests;

public class AmazonLoaderTests
{
    private static string Review(string user, string asin, long time, double rating = 5, string summary = "ok", string text = "fine") =>
        $$"""{"reviewerID": "{{user}}", "asin": "{{asin}}", "reviewerName": "X", "helpful": [0, 0], "reviewText": "{{text}}", "overall": {{rating.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "summary": "{{summary}}", "unixReviewTime": {{time}}, "reviewTime": "01 1, 2014"}""";

    [Fact]
    public void Loads2014ReviewsWithPythonLiteralMeta()
    {
        using var folder = new TempFolder();
        folder.WriteGzip("reviews_Toys_5.json.gz", TempFolder.Lines(
            Review("U1", "B1", 300, 4, "Nice", "Liked it"),
            Review("U2", "B2", 100),
            Review("U1", "B2", 200, 2, "Meh", "Broke \\\"fast\\\""),
            Review("U2", "B1", 150)));
        folder.WriteGzip("meta_Toys.json.gz", TempFolder.Lines(
            "{'asin': 'B9', 'title': 'Not reviewed'}",
            "{'asin': 'B1', 'title': u'Caf\\xe9 Racer', 'price': 12.5, 'brand': 'Acme', 'categories': [['Toys', 'Cars'], ['Toys', 'Gifts']], 'description': 'Fast.'}",
            "{'asin': 'B2', 'title': \"Bob's Blocks\", 'categories': [['Toys']], 'salesRank': {'Toys': 3}}"));

        var dataset = DatasetLoader.Load(folder.Path);

        Assert.Equal("Toys", dataset.Name);
        Assert.Contains("amazon 2014", dataset.Source);
        Assert.Equal(["B1", "B2"], dataset.Items.Select(i => i.ExternalId));
        var car = dataset.Items[0];
        Assert.Equal("Café Racer", car.Title);
        Assert.Equal("Acme", car.Brand);
        Assert.Equal(["Toys", "Cars", "Gifts"], car.Categories);
        Assert.Equal(12.5, car.Price);
        Assert.Equal("Fast.", car.Description);
        Assert.Equal("Bob's Blocks", dataset.Items[1].Title);

        Assert.Equal(["U1", "U2"], dataset.Users.Select(u => u.ExternalId));
        var u1 = dataset.Users[0].Interactions;
        Assert.Equal([1, 0], u1.Select(i => i.ItemId));
        Assert.Equal([200L, 300L], u1.Select(i => i.Timestamp));
        Assert.Equal(2f, u1[0].Rating);
        Assert.Equal("Meh", u1[0].Summary);
        Assert.Equal("Broke \"fast\"", u1[0].ReviewText);
        Assert.Contains(dataset.Report.Notes, n => n.Contains("1 meta records describe products without reviews"));
    }

    [Fact]
    public void Loads2018ReviewsAloneWithAsinsAsTitles()
    {
        using var folder = new TempFolder();
        var path = folder.WriteGzip("All_Things_5.json.gz", TempFolder.Lines(
            """{"overall": 5.0, "verified": true, "reviewTime": "09 1, 2016", "reviewerID": "A", "asin": "X1", "style": {"Size:": " 7.0 oz"}, "reviewerName": "S", "reviewText": "Good", "summary": "Five Stars", "unixReviewTime": 1472688000}""",
            "",
            """{"overall": 3.0, "vote": "2", "verified": false, "reviewTime": "11 14, 2013", "reviewerID": "A", "asin": "X2", "reviewerName": "S", "summary": "Three", "unixReviewTime": 1384387200}""",
            """{"overall": 1.0, "reviewerID": "B", "asin": "X1", "image": ["http://x"], "reviewTime": "01 2, 2015"}"""));

        var dataset = DatasetLoader.Load(path);

        Assert.Equal("All_Things", dataset.Name);
        Assert.Contains("amazon 2018", dataset.Source);
        Assert.Equal(["X1", "X2"], dataset.Items.Select(i => i.Title));
        Assert.Equal(["X2", "X1"], dataset.Users[0].Interactions.Select(i => dataset.Items[i.ItemId].ExternalId));
        Assert.Null(dataset.Users[0].Interactions[0].ReviewText);
        var fromReviewTime = dataset.Users[1].Interactions[0].Timestamp;
        Assert.Equal(new DateTimeOffset(2015, 1, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), fromReviewTime);
        Assert.Equal(3, dataset.InteractionCount);
    }

    [Fact]
    public void Loads2018JsonMetaBesideTheReviews()
    {
        using var folder = new TempFolder();
        var reviews = folder.Write("Luxury_5.json", TempFolder.Lines(Review("A", "P1", 10), Review("B", "P1", 20)));
        folder.Write("meta_Luxury.json", TempFolder.Lines(
            """{"category": ["Luxury", "Skin"], "description": ["Soft.", "Rich."], "title": "Velvet Cream", "brand": "Lux", "price": "$1,299.00", "asin": "P1", "main_cat": "Luxury"}"""));

        var item = DatasetLoader.Load(reviews).Items.Single();

        Assert.Equal("Velvet Cream", item.Title);
        Assert.Equal("Lux", item.Brand);
        Assert.Equal(["Luxury", "Skin"], item.Categories);
        Assert.Equal(1299.0, item.Price);
        Assert.Equal("Soft. Rich.", item.Description);
    }

    [Fact]
    public void EqualTimestampsKeepFileOrder()
    {
        using var folder = new TempFolder();
        var path = folder.Write("Ties_5.json", TempFolder.Lines(
            Review("U", "C", 500), Review("U", "A", 100), Review("U", "B", 100), Review("U", "D", 100), Review("U", "E", 50)));

        var dataset = DatasetLoader.Load(path);
        var history = dataset.Users[0].Interactions;

        Assert.Equal([50L, 100, 100, 100, 500], history.Select(i => i.Timestamp));
        Assert.Equal(["E", "A", "B", "D", "C"], history.Select(i => dataset.Items[i.ItemId].ExternalId));
    }

    [Fact]
    public void MalformedReviewLineNamesFileLineAndSnippet()
    {
        using var folder = new TempFolder();
        var path = folder.Write("Bad_5.json", TempFolder.Lines(Review("U", "A", 1), Review("U", "B", 2), "{\"reviewerID\": \"U\", \"asin\": oops}", Review("U", "C", 3)));

        var error = Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("\"asin\": oops", error.Message);
    }

    [Fact]
    public void MissingFieldsAreMalformed()
    {
        using var folder = new TempFolder();
        var path = folder.Write("Bad_5.json", TempFolder.Lines(Review("U", "A", 1), """{"asin": "B", "unixReviewTime": 5}"""));
        var error = Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(path));
        Assert.Contains("line 2", error.Message);
        Assert.Contains("reviewerID", error.Message);
    }

    [Fact]
    public void SkipBadCountsAndReportsSkippedLines()
    {
        using var folder = new TempFolder();
        var path = folder.Write("Bad_5.json", TempFolder.Lines(
            Review("U", "A", 1), "not json", Review("U", "B", 2), """{"reviewerID": "U"}""", Review("V", "A", 3)));

        var dataset = DatasetLoader.Load(path, new DatasetLoadOptions { SkipBad = true });

        Assert.Equal(3, dataset.InteractionCount);
        Assert.Equal(2, dataset.Report.SkippedLines);
        Assert.Collection(dataset.Report.SkippedExamples,
            first => Assert.Contains("line 2", first),
            second => Assert.Contains("line 4", second));
    }

    [Fact]
    public void MalformedMetaLineIsReportedWithItsLine()
    {
        using var folder = new TempFolder();
        folder.Write("reviews_Pets_5.json", TempFolder.Lines(Review("U", "A", 1)));
        var meta = folder.Write("meta_Pets.json", TempFolder.Lines("{'asin': 'A', 'title': 'Bowl'}", "{'asin': 'B', 'title': 'Leash',"));

        var error = Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(folder.Path));

        Assert.Contains(meta, error.Message);
        Assert.Contains("line 2", error.Message);
        Assert.Contains("unterminated dict", error.Message);
    }
}
