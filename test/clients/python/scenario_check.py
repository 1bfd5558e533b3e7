"""A Python test suite's view of a lean-mock scenario, as a Lean customer would write it.

Starts the built CLI (`serve --scenario FILE --json`, ephemeral ports), then with `requests` over
mutual TLS reads the scenario's customer, accounts, balances and transactions and asserts they are
the file's; then posts a second scenario (YAML) to the admin API and reads it back the same way.
Prints one JSON line: {"checks": N} on success; any failed assertion exits non-zero with its message.

usage: scenario_check.py NODE BIN CERTS_DIR SCENARIO_JSON
"""
import json
import os
import subprocess
import sys

import requests

node, bin_path, certs, scenario_path = sys.argv[1:5]
with open(scenario_path, encoding='utf-8') as f:
    scenario = json.load(f)

checks = 0


def check(condition, message):
    global checks
    checks += 1
    assert condition, message


def signed(indicator, amount):
    return round(amount * 100) * (-1 if indicator == 'DEBIT' else 1)


server = subprocess.Popen(
    [node, bin_path, 'serve', '--certs', certs, '--port', '0', '--admin-port', '0', '--json', '--scenario', scenario_path],
    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
)
try:
    ready = json.loads(server.stdout.readline())
    api = requests.Session()
    api.trust_env = False
    api.cert = (os.path.join(certs, 'my_app_cert.crt'), os.path.join(certs, 'my_app_private_key.pem'))
    api.verify = os.path.join(certs, 'lean_public_cert_chain.pem')
    api.headers['lean-app-token'] = ready['appToken']
    admin = requests.Session()
    admin.trust_env = False

    def get(path, **params):
        reply = api.get(ready['url'] + path, params=params, timeout=10)
        check(reply.status_code == 200, f'{path}: {reply.status_code} {reply.text[:300]}')
        return reply.json()

    def assert_customer(spec, created):
        customer = get(f"/customers/v1/{created['customer_id']}")
        check(customer['app_user_id'] == spec['app_user_id'], f'app_user_id {customer}')
        for entity_spec, entity in zip(spec.get('entities', []), created['entities']):
            if 'entity_id' in entity_spec:
                check(entity['entity_id'] == entity_spec['entity_id'], 'entity id as the file names it')
            accounts = get('/data/v2/accounts', entity_id=entity['entity_id'])['data']['accounts']
            check([a['nickname'] for a in accounts] == [a['name'] for a in entity_spec['accounts']], f'account names {accounts}')
            for account_spec, account in zip(entity_spec['accounts'], accounts):
                if 'account_id' in account_spec:
                    check(account['account_id'] == account_spec['account_id'], 'account id as the file names it')
                if 'currency' in account_spec:
                    check(account['currency'] == account_spec['currency'], 'currency')
                if 'holder_name' in entity_spec:
                    check(account['account_holder_name'] == entity_spec['holder_name'], 'holder name')
                if 'iban' in account_spec:
                    ibans = [i['identification'] for i in account['account'] if i['scheme_name'] == 'IBAN']
                    check(ibans == [account_spec['iban']], f'iban {ibans}')
                path = f"/data/v2/accounts/{account['account_id']}"
                balances = get(path + '/balances', entity_id=entity['entity_id'])['data']['balances']
                closing = next(b for b in balances if b['type'] == 'CLOSING_AVAILABLE')
                if 'balance' in account_spec:
                    check(signed(closing['credit_debit_indicator'], closing['amount']['amount']) == round(account_spec['balance'] * 100), f'balance {closing}')
                served = get(path + '/transactions', entity_id=entity['entity_id'], size=100)['data']['transactions']
                if 'transactions' in account_spec:
                    given = sorted((t['description'], t['credit_debit_indicator'], t['amount']) for t in account_spec['transactions'])
                    got = sorted((t['transaction_information'], t['credit_debit_indicator'], t['amount']['amount']) for t in served)
                    check(got == given, f'transactions {got} != {given}')
                if served:
                    check(signed(served[0]['balance']['credit_debit_indicator'], served[0]['balance']['amount']['amount'])
                          == signed(closing['credit_debit_indicator'], closing['amount']['amount']), 'newest running balance is the balance now')

    state = admin.get(ready['adminUrl'] + '/admin/v1/scenarios', timeout=10).json()
    for spec, created in zip(scenario['customers'], state['created']['customers']):
        assert_customer(spec, created)
    first = api.get(ready['url'] + '/banks/v1', timeout=10)
    check(first.status_code == 503, f"the file's override answers once: {first.status_code}")
    check(api.get(ready['url'] + '/banks/v1', timeout=10).status_code == 200, 'then the real route')

    posted_yaml = '\n'.join([
        'customers:',
        '  - app_user_id: python-bob',
        '    customer_id: 3d6f0b8e-2c1a-4e5f-9a7b-6c5d4e3f2a1b',
        '    entities:',
        '      - bank_identifier: LEA1_SAMAOB_SAU',
        '        accounts:',
        '          - name: Bob current',
        '            type: CURRENT',
        '            balance: 77.7',
        '            transactions:',
        '              - { amount: 100, credit_debit_indicator: CREDIT, booking_date: "2026-10-01", description: Pocket money }',
        '              - { amount: 22.3, credit_debit_indicator: DEBIT, booking_date: "2026-10-02", description: Books }',
    ])
    reply = admin.post(ready['adminUrl'] + '/admin/v1/scenarios', data=posted_yaml, headers={'content-type': 'application/yaml'}, timeout=30)
    check(reply.status_code == 201, f'POST scenario: {reply.status_code} {reply.text[:300]}')
    created = reply.json()['created']['customers'][0]
    check(created['customer_id'] == '3d6f0b8e-2c1a-4e5f-9a7b-6c5d4e3f2a1b', 'posted customer id')
    assert_customer({'app_user_id': 'python-bob', 'entities': [{'bank_identifier': 'LEA1_SAMAOB_SAU', 'accounts': [
        {'name': 'Bob current', 'type': 'CURRENT', 'balance': 77.7, 'transactions': [
            {'amount': 100, 'credit_debit_indicator': 'CREDIT', 'description': 'Pocket money'},
            {'amount': 22.3, 'credit_debit_indicator': 'DEBIT', 'description': 'Books'}]}]}]}, created)

    bad = admin.post(ready['adminUrl'] + '/admin/v1/scenarios', json={'customers': [{'app_user_id': 'x', 'entities': [{'bank_identifier': 'LEAN_OF_RETAIL_UAE', 'accounts': [{'name': 'y', 'type': 'CURRENT', 'balance': '12'}]}]}]}, timeout=10)
    check(bad.status_code == 400 and bad.json()['metadata']['field'] == 'customers[0].entities[0].accounts[0].balance', f'bad scenario: {bad.text[:300]}')
    check(api.get(ready['url'] + f"/customers/v1/{created['customer_id']}", timeout=10).status_code == 200, 'a refused scenario changes nothing')
    print(json.dumps({'checks': checks}))
finally:
    server.terminate()
    server.wait(timeout=20)
