using Mender.Data;

namespace Mender.Data.Tests;

public class SteamLoaderTests
{
    [Fact]
    public void LoadsTheCatalogueFromPythonLiterals()
    {
        using var folder = new TempFolder();
        var path = folder.WriteGzip("steam_games.json.gz", TempFolder.Lines(
            "{u'publisher': u'Kotoshiro', u'genres': [u'Action', u'Indie'], u'app_name': u'Lost Summoner Kitty', u'title': u'Lost Summoner Kitty', u'url': u'http://store.steampowered.com/app/761140/Lost_Summoner_Kitty/', u'release_date': u'2018-01-04', u'tags': [u'Strategy', u'Indie'], u'specs': [u'Single-player'], u'price': 4.99, u'early_access': False, u'id': u'761140', u'developer': u'Kotoshiro'}",
            "{u'url': u'http://store.steampowered.com/', u'price': 19.99, u'early_access': False}",
            "{u'app_name': u'Ironbound', u'url': u'http://store.steampowered.com/app/643980/Ironbound/', u'price': u'Free To Play', u'early_access': False, u'developer': u'Secret Level SRL', u'sentiment': u'Mostly Positive'}",
            "{u'app_name': u'Kitty Again', u'id': u'761140', u'url': u'http://store.steampowered.com/app/761140/', u'early_access': False}",
            "{u'app_name': u'Caf\\xe9 Game', u'id': u'5', u'price': u'Install Now', u'early_access': True, u'url': u'x'}"));

        var dataset = DatasetLoader.Load(path);

        Assert.Empty(dataset.Users);
        Assert.Equal(["761140", "643980", "5"], dataset.Items.Select(i => i.ExternalId));
        var kitty = dataset.Items[0];
        Assert.Equal("Lost Summoner Kitty", kitty.Title);
        Assert.Equal("Kotoshiro", kitty.Brand);
        Assert.Equal(["Action", "Indie"], kitty.Categories);
        Assert.Equal(["Strategy", "Indie", "Single-player"], kitty.Attributes);
        Assert.Equal(4.99, kitty.Price);
        Assert.Contains("Released 2018-01-04.", kitty.Description);
        Assert.Equal(0.0, dataset.Items[1].Price);
        Assert.Equal("Café Game", dataset.Items[2].Title);
        Assert.Null(dataset.Items[2].Price);
        Assert.Contains(dataset.Report.Notes, n => n.Contains("neither an id nor a store URL") && n.Contains("lines 2"));
        Assert.Contains(dataset.Report.Notes, n => n.Contains("repeated ids") && n.Contains("761140 (line 4)"));
        var stats = dataset.Stats();
        Assert.Equal((0, 3, 0L, 0.0), (stats.Users, stats.Items, stats.Interactions, stats.Density));
    }

    [Fact]
    public void BrokenLiteralNamesTheLine()
    {
        using var folder = new TempFolder();
        var path = folder.Write("steam_games.json", TempFolder.Lines(
            "{u'app_name': u'A', u'id': u'1', u'early_access': False}",
            "{u'app_name': u'B', u'id': u'2', u'early_access': false}"));

        var error = Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(path));

        Assert.Contains("line 2", error.Message);
        Assert.Contains("unexpected name 'false'", error.Message);
    }
}
