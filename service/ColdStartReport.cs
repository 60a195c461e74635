using Mender.Recommender.ColdStart;

namespace Mender.Service;

/// <summary>What <see cref="RecommendationService.AddColdStartItems"/> did: where, how many new and updated, and all items now registered.</summary>
public sealed record ColdStartReport(string Folder, int Added, int Updated, IReadOnlyList<ColdStartItem> Items);
