#include "llm/endpoint_repository.h"

namespace ts {

namespace {

constexpr std::string_view kColumns = "SELECT id, name, config, price_in_per_mtok, price_out_per_mtok FROM endpoints";

Expected<Endpoint> readEndpoint(const Statement& s)
{
    Endpoint e;
    e.id = s.columnInt(0);
    e.name = s.columnText(1);
    nlohmann::json j = nlohmann::json::parse(s.columnText(2), nullptr, false);
    if (j.is_discarded())
        return makeError("endpoint \"" + e.name + "\": stored config is not JSON");
    auto config = llm::providerConfigFromJson(j);
    if (!config)
        return makeError("endpoint \"" + e.name + "\": " + config.error().message);
    e.provider = std::move(*config);
    if (!s.columnIsNull(3) && !s.columnIsNull(4))
        e.price = llm::ModelPrice {s.columnDouble(3), s.columnDouble(4)};
    return e;
}

} // namespace

Status EndpointRepository::save(Endpoint& e)
{
    if (e.name.empty() || e.name.size() > 100)
        return makeError("endpoint name: 1 to 100 characters");
    if (auto v = llm::validateProviderConfig(e.provider); !v)
        return makeError("endpoint \"" + e.name + "\": " + v.error().message);
    if (e.price && (e.price->inputPerMillion < 0 || e.price->outputPerMillion < 0))
        return makeError("endpoint \"" + e.name + "\": prices must be >= 0");
    const std::string location = e.provider.kind == llm::ProviderKind::Local ? e.provider.model : e.provider.baseUrl;
    auto st = m_db.prepare(
        "INSERT INTO endpoints (name, kind, location, model_id, price_in_per_mtok, price_out_per_mtok, config) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, "
        "location = excluded.location, model_id = excluded.model_id, price_in_per_mtok = excluded.price_in_per_mtok, "
        "price_out_per_mtok = excluded.price_out_per_mtok, config = excluded.config");
    if (!st)
        return st.error();
    st->bind(1, e.name)
        .bind(2, llm::providerKindName(e.provider.kind))
        .bind(3, location)
        .bind(4, e.provider.model)
        .bind(5, e.price ? std::optional<double>(e.price->inputPerMillion) : std::nullopt)
        .bind(6, e.price ? std::optional<double>(e.price->outputPerMillion) : std::nullopt)
        .bind(7, llm::providerConfigToJson(e.provider).dump());
    if (auto s = st->run(); !s)
        return s;
    auto id = m_db.prepare("SELECT id FROM endpoints WHERE name = ?");
    if (!id)
        return id.error();
    id->bind(1, e.name);
    auto row = id->step();
    if (!row)
        return row.error();
    e.id = *row ? id->columnInt(0) : 0;
    return {};
}

Expected<std::optional<Endpoint>> EndpointRepository::get(const std::string& name)
{
    auto st = m_db.prepare(std::string(kColumns) + " WHERE name = ?");
    if (!st)
        return st.error();
    st->bind(1, name);
    auto row = st->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<Endpoint>();
    auto e = readEndpoint(*st);
    if (!e)
        return e.error();
    return std::optional<Endpoint>(std::move(*e));
}

Expected<std::vector<Endpoint>> EndpointRepository::all()
{
    auto st = m_db.prepare(std::string(kColumns) + " ORDER BY name");
    if (!st)
        return st.error();
    return st->collect<Endpoint>(readEndpoint);
}

Status EndpointRepository::remove(const std::string& name)
{
    auto st = m_db.prepare("DELETE FROM endpoints WHERE name = ?");
    if (!st)
        return st.error();
    st->bind(1, name);
    return st->run();
}

} // namespace ts
