using Mender.Data;
using Mender.Data.Text;
using Xunit;

namespace Mender.Data.Tests.Text;

public class ItemTextTests
{
    [Fact]
    public void RendersEveryPresentFieldInTemplateOrder()
    {
        var item = new Item(0, "A1", "Nail Lacquer", "OPI", ["Makeup", "Nails"], 7.5, "A glossy\n\nred   polish.")
        {
            Attributes = ["vegan", " quick  dry", "vegan"],
        };
        Assert.Equal(
            "Title: Nail Lacquer\nBrand: OPI\nCategories: Makeup, Nails\nAttributes: vegan, quick dry\nPrice: 7.50\nDescription: A glossy red polish.",
            ItemText.Render(item));
    }

    [Fact]
    public void LeavesOutMissingAndBlankFields()
    {
        var item = new Item(3, "B2", "  hair   dryer ", Brand: " ", Categories: ["", "Hair", "Hair"]);
        Assert.Equal("Title: hair dryer\nCategories: Hair", ItemText.Render(item));
    }

    [Fact]
    public void ClipsLongDescriptionsAtAWordBoundary()
    {
        var description = string.Join(' ', Enumerable.Repeat("lorem", 400));
        var text = ItemText.Render(new Item(0, "x", "t", Description: description));
        var rendered = text.Split('\n')[1]["Description: ".Length..];
        Assert.EndsWith("lorem ...", rendered);
        Assert.True(rendered.Length <= ItemText.MaxDescriptionChars + 4);
    }
}
