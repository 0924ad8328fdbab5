using System.Globalization;

namespace KafkaSync.Engine.Benchmarks;

// The event bodies: field names repeat from record to record, values vary as real ones do.
public sealed partial class EventGenerator
{
    private static readonly string[] Statuses = ["pending", "paid", "packed", "shipped", "delivered", "cancelled"];
    private static readonly string[] Currencies = ["EUR", "USD", "GBP", "CHF"];
    private static readonly string[] Methods = ["card", "paypal", "sepa", "klarna"];
    private static readonly string[] Brands = ["visa", "mastercard", "amex"];
    private static readonly string[] Pages = ["/", "/search", "/cart", "/checkout", "/account", "/products/", "/category/", "/help/"];
    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    ];

    private static readonly string[] Warehouses = ["FRA1", "AMS2", "MAD1", "WAW3", "DUB1"];
    private static readonly string[] Actions = ["login", "logout", "update", "delete", "export", "grant"];
    private static readonly string[] Services = ["checkout", "payments", "web-edge", "stock", "iam"];
    private static readonly string[] Words =
    [
        "the", "customer", "asked", "for", "delivery", "before", "friday", "please", "leave", "parcel", "at", "door",
        "gift", "wrap", "and", "include", "receipt", "call", "on", "arrival", "second", "floor", "no", "bell",
        "order", "was", "late", "again", "refund", "shipping", "cost", "item", "damaged", "in", "transit", "replace",
        "size", "colour", "blue", "red", "large", "small", "express", "standard", "pickup", "store", "weekend", "evening",
        "user", "changed", "password", "from", "new", "device", "session", "expired", "token", "role", "admin", "report",
    ];

    private (string Key, string Value) Order()
    {
        var customer = Customer();
        _text.Clear()
            .Append("{\"event\":\"order.").Append(Pick(Statuses)).Append("\",\"order_id\":\"").Append(Live(_orders, "ord-", 6, 0.2))
            .Append("\",\"customer_id\":\"").Append(customer).Append("\",\"created_at\":\"").Append(Iso(_clock))
            .Append("\",\"currency\":\"").Append(Pick(Currencies)).Append("\",\"items\":[");
        var items = _random.Next(1, 4);
        for (var i = 0; i < items; i++)
        {
            _text.Append(i == 0 ? "" : ",").Append("{\"sku\":\"SKU-").Append(_random.Next(10_000, 20_000))
                .Append("\",\"qty\":").Append(_random.Next(1, 5)).Append(",\"price\":").Append(Money(100, 20_000)).Append('}');
        }

        _text.Append("],\"total\":").Append(Money(500, 90_000)).Append(",\"note\":\"").Append(Sentence(0, 9)).Append("\"}");
        return (customer, _text.ToString());
    }

    private (string Key, string Value) Payment()
    {
        var order = Live(_orders, "ord-", 6, 0);
        _text.Clear()
            .Append("{\"event\":\"payment.").Append(_random.Next(10) == 0 ? "declined" : "authorized").Append("\",\"payment_id\":\"pay_")
            .Append(Hex(12)).Append("\",\"order_id\":\"").Append(order).Append("\",\"method\":\"").Append(Pick(Methods))
            .Append("\",\"card_brand\":\"").Append(Pick(Brands)).Append("\",\"amount\":").Append(Money(500, 90_000))
            .Append(",\"currency\":\"").Append(Pick(Currencies)).Append("\",\"risk_score\":0.").Append(_random.Next(1000, 9999))
            .Append(",\"ip\":\"10.").Append(_random.Next(256)).Append('.').Append(_random.Next(256)).Append('.').Append(_random.Next(256))
            .Append("\",\"processed_at\":").Append(_clock).Append('}');
        return (order, _text.ToString());
    }

    private (string Key, string Value) PageView()
    {
        var session = Live(_sessions, "", 16, 0.05);
        _text.Clear()
            .Append("{\"event\":\"page_view\",\"session_id\":\"").Append(session).Append("\",\"user_id\":")
            .Append(_random.Next(3) == 0 ? "null" : Customer()[4..])
            .Append(",\"url\":\"https://shop.example.com").Append(Pick(Pages)).Append(Words[_random.Next(Words.Length)])
            .Append("\",\"referrer\":\"").Append(_random.Next(2) == 0 ? "https://www.example.org/" : "").Append("\",\"user_agent\":\"")
            .Append(Pick(Agents)).Append("\",\"ts\":").Append(_clock).Append('}');
        return (session, _text.ToString());
    }

    private (string Key, string Value) StockLevel()
    {
        var sku = "SKU-" + _random.Next(10_000, 20_000).ToString(CultureInfo.InvariantCulture);
        _text.Clear()
            .Append("{\"sku\":\"").Append(sku).Append("\",\"warehouse\":\"").Append(Pick(Warehouses)).Append("\",\"on_hand\":")
            .Append(_random.Next(0, 5000)).Append(",\"reserved\":").Append(_random.Next(0, 200)).Append(",\"reorder_point\":")
            .Append(_random.Next(10, 500)).Append(",\"updated_at\":\"").Append(Iso(_clock)).Append("\",\"source\":\"wms\"}");
        return (sku, _text.ToString());
    }

    private (string Key, string Value) Audit()
    {
        var actor = "user" + _random.Next(1, 400).ToString(CultureInfo.InvariantCulture) + "@corp.example.com";
        _text.Clear()
            .Append("{\"actor\":\"").Append(actor).Append("\",\"action\":\"").Append(Pick(Actions)).Append("\",\"resource\":\"/api/v2/")
            .Append(Words[_random.Next(Words.Length)]).Append('/').Append(_random.Next(1, 100_000)).Append("\",\"result\":\"")
            .Append(_random.Next(8) == 0 ? "denied" : "ok").Append("\",\"at\":\"").Append(Iso(_clock)).Append("\",\"message\":\"")
            .Append(Sentence(4, 16)).Append("\"}");
        return (actor, _text.ToString());
    }

    /// <summary>A live entity id; with probability <paramref name="renew"/> the entity is replaced by a new one first.</summary>
    private string Live(string[] pool, string prefix, int bytes, double renew)
    {
        var slot = _random.Next(pool.Length);
        if (_random.NextDouble() < renew)
        {
            pool[slot] = prefix + Hex(bytes);
        }

        return pool[slot];
    }

    /// <summary>Customers: a few are frequent, most are occasional (a skewed pick from 50,000).</summary>
    private string Customer()
    {
        var u = _random.NextDouble();
        return "cus-" + (10_000 + (int)(50_000 * u * u * u)).ToString(CultureInfo.InvariantCulture);
    }

    private string Pick(string[] options) => options[_random.Next(options.Length)];

    private string Hex(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        _random.NextBytes(buffer);
        return Convert.ToHexString(buffer).ToLowerInvariant();
    }

    private string Money(int minCents, int maxCents)
    {
        var cents = _random.Next(minCents, maxCents);
        return (cents / 100).ToString(CultureInfo.InvariantCulture) + "." + (cents % 100).ToString("00", CultureInfo.InvariantCulture);
    }

    private string Sentence(int minWords, int maxWords)
    {
        var count = _random.Next(minWords, maxWords);
        return string.Join(' ', Enumerable.Range(0, count).Select(_ => Words[_random.Next(Words.Length)]));
    }

    private static string Iso(long epochMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(epochMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
