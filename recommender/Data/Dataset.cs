namespace Mender.Recommender.Data;

/// <summary>An in-memory dataset: items, and users whose interactions refer to items by dense id.</summary>
public sealed class Dataset(string name, IReadOnlyList<Item> items, IReadOnlyList<User> users)
{
    public string Name { get; } = name;
    public IReadOnlyList<Item> Items { get; } = items;
    public IReadOnlyList<User> Users { get; } = users;
}
