using Mender.Data;

namespace Mender.Service.Tests.Pipeline;

/// <summary>A four-item catalogue with two users, enough to check the pipeline's stages one at a time.</summary>
internal static class PipelineWorld
{
    public static Dataset Dataset { get; } = new("pipeline",
    [
        new Item(0, "A", "Vanilla Body Mist", Categories: ["Fragrance"]),
        new Item(1, "B", "Rose Hand Cream", Categories: ["Skin Care"]),
        new Item(2, "C", "Unscented Lotion", Categories: ["Skin Care"]) { Attributes = ["fragrance-free"] },
        new Item(3, "D", "Vanilla Lip Balm", Categories: ["Lips"]),
    ],
    [
        new User(0, "u-long", [new Interaction(0, 1, 5, null, "lovely"), new Interaction(1, 2), new Interaction(2, 3)]),
        new User(1, "u-short", [new Interaction(3, 1)]),
    ]);
}
