using Mender.Data;

namespace Mender.Data.Demo;

/// <summary>
/// Simulates one demo user: draws a taste (favourite categories, liked and disliked attributes relevant to them), then a
/// chronological history. Each pick is a softmax choice over the unseen catalogue, scored by item popularity, category
/// affinity and taste; the previous pick adds sequential structure: the next step of its routine (cleanser, then toner,
/// then serum) and its brand are favoured, another item of the same type is not. Now and then the user ignores taste and
/// follows popularity, which is how disliked attributes end up bought and complained about.
/// </summary>
internal static class DemoShopper
{
    private const double LikeWeight = 1.6, DislikeWeight = 2.4, RoutineBoost = 2.2, SameTypePenalty = -1.2;
    private const double ExploreChance = 0.12, OtherCategoryWeight = 0.06;
    private const long DayS = 86_400, Epoch = 1_609_459_200; // 2021-01-01

    public static (UserTaste Taste, Interaction[] History) Simulate(int userId, DemoCatalog catalog, DemoWorldOptions options, DemoRandom random)
    {
        var categories = DemoVocabulary.Categories;
        var favourites = new List<string> { random.Pick(categories) };
        if (random.Chance(0.45)) favourites.Add(random.Pick(categories.Where(c => c != favourites[0]).ToArray()));
        var types = DemoVocabulary.ProductTypes.Where(t => favourites.Contains(t.Category)).ToArray();
        var likes = DrawAttributes(DemoVocabulary.Attributes, types, 2 + (random.Chance(0.4) ? 1 : 0), [], random);
        var dislikes = DrawAttributes(DemoVocabulary.Dislikeable, types, 1 + (random.Chance(0.35) ? 1 : 0), likes, random);
        var taste = new UserTaste(userId, likes.Select(a => a.Name).ToArray(), dislikes.Select(a => a.Name).ToArray(), favourites.ToArray());

        var n = catalog.Items.Length;
        var typeAffinity = DemoVocabulary.ProductTypes
            .Select(t => Math.Log(favourites.Contains(t.Category) ? 1.0 : OtherCategoryWeight))
            .ToArray();
        var tasteWeight = new double[n];
        var popularWeight = new double[n];
        for (var i = 0; i < n; i++)
        {
            var fit = 0.0;
            foreach (var attribute in catalog.AttributesOf[i])
            {
                if (Array.IndexOf(likes, attribute) >= 0) fit += LikeWeight;
                if (Array.IndexOf(dislikes, attribute) >= 0) fit -= DislikeWeight;
            }
            var popular = Math.Exp(catalog.LogPopularity[i] + typeAffinity[catalog.TypeOf[i]]);
            popularWeight[i] = popular;
            tasteWeight[i] = fit == 0 ? popular : popular * Math.Exp(fit);
        }

        var loyalty = Math.Exp(0.5 + 0.8 * random.NextDouble());
        var routineBoost = Math.Exp(RoutineBoost);
        var sameTypePenalty = Math.Exp(SameTypePenalty);
        var length = Math.Min(options.MaxHistory, options.MinHistory + (int)random.Exponential(options.MeanExtraHistory));
        var history = new Interaction[length];
        var taken = new bool[n];
        var weights = new double[n];
        var time = Epoch + random.Next(600) * DayS;
        var previous = -1;
        var typeOf = catalog.TypeOf;
        var brandOf = catalog.BrandOf;
        for (var t = 0; t < length; t++)
        {
            var source = random.Chance(ExploreChance) ? popularWeight : tasteWeight;
            var total = 0.0;
            if (previous < 0)
            {
                for (var i = 0; i < n; i++)
                {
                    weights[i] = taken[i] ? 0.0 : source[i];
                    total += weights[i];
                }
            }
            else
            {
                var previousType = typeOf[previous];
                var nextType = NextStep(previousType);
                var previousBrand = brandOf[previous];
                for (var i = 0; i < n; i++)
                {
                    var w = taken[i] ? 0.0 : source[i];
                    var type = typeOf[i];
                    if (type == nextType) w *= routineBoost;
                    else if (type == previousType) w *= sameTypePenalty;
                    if (brandOf[i] == previousBrand) w *= loyalty;
                    weights[i] = w;
                    total += w;
                }
            }
            var item = random.Weighted(weights, total);
            taken[item] = true;
            var review = DemoReviewer.Write(random, catalog.Type(item), catalog.AttributesOf[item], likes, dislikes);
            history[t] = new Interaction(item, time, review.Rating, review.Summary, review.Text);
            time += (1 + (long)random.Exponential(10)) * DayS;
            previous = item;
        }
        return (taste, history);
    }

    /// <summary>The index of the routine step after the given type's (the last step wraps to the first).</summary>
    private static int NextStep(int typeIndex)
    {
        var types = DemoVocabulary.ProductTypes;
        var type = types[typeIndex];
        var next = typeIndex + 1;
        return next < types.Count && types[next].Routine == type.Routine ? next : typeIndex - type.Step;
    }

    /// <summary>
    /// Draws attributes weighted by the square root of how many of the user's product types they apply to (relevant, yet
    /// not always the claims that fit everything), at most one per group, none of
    /// <paramref name="exclude"/>.
    /// </summary>
    private static DemoAttribute[] DrawAttributes(
        IReadOnlyList<DemoAttribute> pool, DemoProductType[] types, int count, DemoAttribute[] exclude, DemoRandom random)
    {
        var chosen = new List<DemoAttribute>(count);
        var weights = new double[pool.Count];
        while (chosen.Count < count)
        {
            var total = 0.0;
            for (var a = 0; a < pool.Count; a++)
            {
                var attribute = pool[a];
                var usable = !exclude.Contains(attribute) && !chosen.Contains(attribute)
                             && (attribute.Group.Length == 0 || chosen.All(c => c.Group != attribute.Group));
                weights[a] = usable ? Math.Sqrt(types.Count(attribute.AppliesTo)) : 0;
                total += weights[a];
            }
            if (total == 0) break;
            chosen.Add(pool[random.Weighted(weights, total)]);
        }
        return chosen.ToArray();
    }
}
