// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {Fixture, IProxyAdminOps} from "./Fixture.sol";
import {G2} from "./G2.sol";
import {BN254} from "../src/libraries/BN254.sol";
import {BLSSignatureChecker} from "../src/middleware/BLSSignatureChecker.sol";
import {OperatorStateRetriever} from "../src/middleware/OperatorStateRetriever.sol";
import {MultiProverServiceManager} from "../src/avs/MultiProverServiceManager.sol";
import {StrategyBase} from "../src/core/StrategyBase.sol";
import {
    IERC20, IStrategy, IDelegationManager, IRegistryCoordinator, IRegistryCoordinatorTypes, IStakeRegistryTypes,
    IBLSApkRegistryTypes, ISignatureUtils
} from "../src/interfaces/IEigen.sol";

contract CoreTest is Fixture {
    // ---------------------------------------------------------------- core

    function test_coreReverts() external {
        deployStack(false);
        Op memory o = makeOp(0x1111, 5);
        token.transfer(o.addr, 10 ether);
        // deposit into a non-whitelisted strategy
        StrategyBase other = StrategyBase(_proxy());
        vm.startPrank(o.addr);
        token.approve(address(strategyManager), 10 ether);
        vm.expectRevert(bytes("StrategyManager.onlyStrategiesWhitelistedForDeposit: strategy not whitelisted"));
        strategyManager.depositIntoStrategy(IStrategy(address(other)), IERC20(address(token)), 1 ether);
        // deposit before registering: shares are credited once the operator self-delegates
        strategyManager.depositIntoStrategy(strategy, IERC20(address(token)), 2 ether);
        assertEq(strategyManager.stakerStrategyShares(o.addr, strategy), 2 ether, "shares");
        delegation.registerAsOperator(IDelegationManager.OperatorDetails(o.addr, address(0), 0), "uri");
        assertEq(delegation.operatorShares(o.addr, strategy), 2 ether, "operator shares include prior deposits");
        assertTrue(delegation.isOperator(o.addr), "isOperator");
        vm.expectRevert(bytes("DelegationManager.registerAsOperator: operator has already registered"));
        delegation.registerAsOperator(IDelegationManager.OperatorDetails(o.addr, address(0), 0), "uri");
        // deposits after registration increase operator shares
        strategyManager.depositIntoStrategy(strategy, IERC20(address(token)), 3 ether);
        assertEq(delegation.operatorShares(o.addr, strategy), 5 ether, "operator shares after deposit");
        vm.expectRevert(bytes("DelegationManager: onlyStrategyManagerOrEigenPodManager"));
        delegation.increaseDelegatedShares(o.addr, strategy, 1);
        vm.expectRevert(bytes("StrategyBase.onlyStrategyManager"));
        strategy.deposit(IERC20(address(token)), 1);
        vm.stopPrank();
        // a staker delegating to the operator adds its shares
        address staker = address(0x5151);
        token.transfer(staker, 1 ether);
        vm.startPrank(staker);
        token.approve(address(strategyManager), 1 ether);
        strategyManager.depositIntoStrategy(strategy, IERC20(address(token)), 1 ether);
        delegation.delegateTo(o.addr, ISignatureUtils.SignatureWithExpiry("", 0), bytes32(0));
        vm.stopPrank();
        assertEq(delegation.operatorShares(o.addr, strategy), 6 ether, "delegated shares");
        assertEq(strategy.sharesToUnderlyingView(6 ether), 6 ether, "1:1 share price");
        assertEq(delegation.minWithdrawalDelayBlocks(), 50400, "minWithdrawalDelayBlocks");
        // whitelister / owner gates
        IStrategy[] memory ss = new IStrategy[](1);
        ss[0] = strategy;
        vm.expectRevert(bytes("StrategyManager.onlyStrategyWhitelister: not the strategyWhitelister"));
        vm.prank(o.addr);
        strategyManager.addStrategiesToDepositWhitelist(ss, new bool[](1));
        vm.expectRevert(bytes("Ownable: caller is not the owner"));
        vm.prank(o.addr);
        delegation.setMinWithdrawalDelayBlocks(1);
        // pausing deposits (bit 0) through the pauser registry
        strategyManager.pause(1);
        vm.expectRevert(bytes("Pausable: index is paused"));
        strategyManager.depositIntoStrategy(strategy, IERC20(address(token)), 1);
        vm.expectRevert(bytes("Pausable.pause: invalid attempt to unpause functionality"));
        strategyManager.pause(0);
        vm.expectRevert(bytes("msg.sender is not permissioned as unpauser"));
        vm.prank(o.addr);
        strategyManager.unpause(0);
        strategyManager.unpause(0);
        // initializers are one-shot, implementations locked
        vm.expectRevert(bytes("Initializable: contract is already initialized"));
        strategyManager.initialize(address(this), address(this), pauserRegistry, 0);
    }

    function test_avsDirectoryReverts() external {
        deployStack(false);
        Op memory o = makeOp(0x2222, 6);
        fundAndDelegate(o, 1 ether);
        ISignatureUtils.SignatureWithSaltAndExpiry memory s = avsSignature(o, bytes32(uint256(9)));
        // the AVS is msg.sender: a signature for the service manager does not verify for another caller
        vm.expectRevert(bytes("EIP1271SignatureUtils.checkSignature_EIP1271: signature not from signer"));
        avsDirectory.registerOperatorToAVS(o.addr, s);
        vm.prank(address(sm));
        avsDirectory.registerOperatorToAVS(o.addr, s);
        vm.expectRevert(bytes("AVSDirectory.registerOperatorToAVS: operator already registered"));
        vm.prank(address(sm));
        avsDirectory.registerOperatorToAVS(o.addr, s);
        vm.prank(address(sm));
        avsDirectory.deregisterOperatorFromAVS(o.addr);
        vm.expectRevert(bytes("AVSDirectory.registerOperatorToAVS: salt already spent"));
        vm.prank(address(sm));
        avsDirectory.registerOperatorToAVS(o.addr, s);
        vm.expectRevert(bytes("AVSDirectory.deregisterOperatorFromAVS: operator not registered"));
        vm.prank(address(sm));
        avsDirectory.deregisterOperatorFromAVS(o.addr);
        // high-s signatures are rejected (EIP-2)
        ISignatureUtils.SignatureWithSaltAndExpiry memory s2 = avsSignature(o, bytes32(uint256(10)));
        bytes memory sig = s2.signature;
        bytes32 r;
        bytes32 ss;
        uint8 v = uint8(sig[64]);
        assembly {
            r := mload(add(sig, 0x20))
            ss := mload(add(sig, 0x40))
        }
        uint256 n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
        s2.signature = abi.encodePacked(r, bytes32(n - uint256(ss)), v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(bytes("ECDSA: invalid signature 's' value"));
        vm.prank(address(sm));
        avsDirectory.registerOperatorToAVS(o.addr, s2);
        // EIP-2098 compact form of the original signature is accepted
        ISignatureUtils.SignatureWithSaltAndExpiry memory s3 = avsSignature(o, bytes32(uint256(11)));
        sig = s3.signature;
        v = uint8(sig[64]);
        assembly {
            r := mload(add(sig, 0x20))
            ss := mload(add(sig, 0x40))
        }
        s3.signature = abi.encodePacked(r, bytes32(uint256(ss) | (uint256(v - 27) << 255)));
        vm.prank(address(sm));
        avsDirectory.registerOperatorToAVS(o.addr, s3);
        vm.prank(o.addr);
        avsDirectory.cancelSalt(bytes32(uint256(12)));
        assertTrue(avsDirectory.operatorSaltIsSpent(o.addr, bytes32(uint256(12))), "cancelled salt");
    }

    function test_registryAccessControl() external {
        deployStack(false);
        bytes memory q = hex"00";
        vm.expectRevert(bytes("IndexRegistry.onlyRegistryCoordinator: caller is not the registry coordinator"));
        indexRegistry.registerOperator(bytes32(uint256(1)), q);
        vm.expectRevert(bytes("StakeRegistry.onlyRegistryCoordinator: caller is not the RegistryCoordinator"));
        stakeRegistry.registerOperator(address(1), bytes32(uint256(1)), q);
        vm.expectRevert(bytes("BLSApkRegistry.onlyRegistryCoordinator: caller is not the registry coordinator"));
        blsApkRegistry.registerOperator(address(1), q);
        vm.expectRevert(bytes("StakeRegistry.onlyCoordinatorOwner: caller is not the owner of the registryCoordinator"));
        vm.prank(address(0xdead));
        stakeRegistry.setMinimumStakeForQuorum(0, 1);
        stakeRegistry.setMinimumStakeForQuorum(0, 2e16);
        assertEq(uint256(stakeRegistry.minimumStakeForQuorum(0)), 2e16, "min stake");
        vm.expectRevert(bytes("StakeRegistry.quorumExists: quorum does not exist"));
        stakeRegistry.setMinimumStakeForQuorum(5, 1);
        vm.expectRevert(bytes("Ownable: caller is not the owner"));
        vm.prank(address(0xdead));
        rc.createQuorum(IRegistryCoordinatorTypes.OperatorSetParam(1, 0, 0), 0, new IStakeRegistryTypes.StrategyParams[](0));
        vm.expectRevert(bytes("RegistryCoordinator.onlyEjector: caller is not the ejector"));
        vm.prank(address(0xdead));
        rc.ejectOperator(address(1), q);
        vm.expectRevert(bytes("RegistryCoordinator.updateSocket: operator is not registered"));
        rc.updateSocket("x");
        vm.expectRevert(bytes("RegistryCoordinator.registerOperatorWithChurn: churn is not supported by this devnet stack"));
        rc.registerOperatorWithChurn(q, "", registrationParamsEmpty(), new IRegistryCoordinatorTypes.OperatorKickParam[](0),
            ISignatureUtils.SignatureWithSaltAndExpiry("", 0, 0), ISignatureUtils.SignatureWithSaltAndExpiry("", 0, 0));
        assertEq(rc.numRegistries(), 3, "registries");
        // implementations behind the proxies cannot be initialised directly
        vm.expectRevert(bytes("Initializable: contract is already initialized"));
        rc.initialize(address(this), address(this), address(this), pauserRegistry, 0,
            new IRegistryCoordinatorTypes.OperatorSetParam[](0), new uint96[](0), new IStakeRegistryTypes.StrategyParams[][](0));
    }

    function registrationParamsEmpty() internal pure returns (IBLSApkRegistryTypes.PubkeyRegistrationParams memory p) {}

    function test_updateOperatorsEjectAndMaxCount() external {
        deployStack(false);
        Op memory a = makeOp(0x3333, 7);
        Op memory b = makeOp(0x4444, 8);
        fundAndDelegate(a, 1 ether);
        fundAndDelegate(b, 1 ether);
        vm.roll(10);
        registerOp(a);
        registerOp(b);
        // raising the minimum stake and refreshing kicks both operators out
        stakeRegistry.setMinimumStakeForQuorum(0, 2 ether);
        vm.roll(11);
        address[] memory ops = new address[](1);
        ops[0] = a.addr;
        rc.updateOperators(ops);
        assertEq(uint256(rc.getOperatorStatus(a.addr)), 2, "a removed below minimum");
        assertEq(uint256(indexRegistry.totalOperatorsForQuorum(0)), 1, "one left");
        // the ejector removes b
        rc.ejectOperator(b.addr, hex"00");
        assertEq(uint256(rc.getOperatorStatus(b.addr)), 2, "b ejected");
        assertEq(uint256(stakeRegistry.getCurrentTotalStake(0)), 0, "no stake left");
        // operator count cap
        stakeRegistry.setMinimumStakeForQuorum(0, 0);
        rc.setOperatorSetParams(0, IRegistryCoordinatorTypes.OperatorSetParam(1, 0, 0));
        vm.roll(12);
        ISignatureUtils.SignatureWithSaltAndExpiry memory s = avsSignature(a, bytes32(uint256(77)));
        IBLSApkRegistryTypes.PubkeyRegistrationParams memory p;
        vm.prank(a.addr);
        rc.registerOperator(hex"00", "again", p, s); // key already registered: params ignored
        assertEq(uint256(rc.getOperatorStatus(a.addr)), 1, "a back");
        s = avsSignature(b, bytes32(uint256(78)));
        vm.expectRevert(bytes("RegistryCoordinator.registerOperator: operator count exceeds maximum"));
        vm.prank(b.addr);
        rc.registerOperator(hex"00", "again", p, s);
        vm.prank(a.addr);
        rc.updateSocket("new socket");
    }

    // ---------------------------------------------------------------- two quorums

    struct Run {
        Op[] ops;
        uint256[] bitmaps;
    }

    /// @dev confirmState over quorums 0 and 1 where operators belong to 1 or 2 of them: the on-chain apk
    ///      counts each non-signer once per signing quorum, so the signers' apkG2/sigma are weighted too.
    function test_twoQuorums() external {
        deployStack(false);
        IStakeRegistryTypes.StrategyParams[] memory sp = new IStakeRegistryTypes.StrategyParams[](1);
        sp[0] = IStakeRegistryTypes.StrategyParams(strategy, 2 ether); // weight x2 in quorum 1
        rc.createQuorum(IRegistryCoordinatorTypes.OperatorSetParam(10, 0, 0), MIN_STAKE, sp);
        sm.addTEEQuorum(MultiProverServiceManager.TEEQuorum(MultiProverServiceManager.TEE.INTEL_SGX, 1));
        sm.updateCommittee(MultiProverServiceManager.Committee(3, "two quorums", "", hex"0001"));
        Run memory run;
        run.ops = new Op[](3);
        run.bitmaps = new uint256[](3);
        run.bitmaps[0] = 3;
        run.bitmaps[1] = 1;
        run.bitmaps[2] = 3;
        vm.roll(50);
        for (uint256 i = 0; i < 3; i++) {
            run.ops[i] = makeOp(0x5000 + i, 900001 + 31 * i);
            fundAndDelegate(run.ops[i], 1 ether);
            IBLSApkRegistryTypes.PubkeyRegistrationParams memory p = registrationParams(run.ops[i]);
            ISignatureUtils.SignatureWithSaltAndExpiry memory s = avsSignature(run.ops[i], bytes32(i));
            vm.prank(run.ops[i].addr);
            rc.registerOperator(run.bitmaps[i] == 3 ? bytes(hex"0001") : bytes(hex"00"), "", p, s);
        }
        vm.roll(60);
        assertEq(uint256(stakeRegistry.getCurrentTotalStake(1)), 4 ether, "quorum 1 total with multiplier 2");
        bool[] memory signs = new bool[](3);
        signs[0] = true;
        signs[1] = true;
        signs[2] = true;
        _confirm2(run, signs, 55, hex"6464");
        signs[0] = false; // non-signer in both quorums: apk term counted twice
        _confirm2(run, signs, 55, hex"3232");
        signs[0] = true;
        signs[1] = false; // non-signer in quorum 0 only
        (BLSSignatureChecker.QuorumStakeTotals memory t) = _confirm2(run, signs, 55, hex"4242");
        assertEq(uint256(t.signedStakeForQuorum[0]), 2 ether, "q0 signed");
        assertEq(uint256(t.totalStakeForQuorum[0]), 3 ether, "q0 total");
        assertEq(uint256(t.signedStakeForQuorum[1]), 4 ether, "q1 signed");
        // unweighted aggregation (eigensdk-go style) fails when a signer is in two signing quorums
        BLSSignatureChecker.NonSignerStakesAndSignature memory p2 = _params2(run, signs, 55, false);
        MultiProverServiceManager.StateHeader memory h = _header2(55, hex"4242");
        bytes32 d = _digest2(h);
        vm.expectRevert(bytes("BLSSignatureChecker.checkSignatures: signature is invalid"));
        sm.checkSignatures(d, h.quorumNumbers, 55, p2);
    }

    function _header2(uint32 ref, bytes memory thresholds) internal pure returns (MultiProverServiceManager.StateHeader memory h) {
        h.committeeId = 3;
        h.metadata = "m";
        h.state = "s";
        h.quorumNumbers = hex"0001";
        h.quorumThresholdPercentages = thresholds;
        h.referenceBlockNumber = ref;
    }

    function _digest2(MultiProverServiceManager.StateHeader memory h) internal view returns (bytes32) {
        return sm._hashReducedStateHeader(MultiProverServiceManager.ReducedStateHeader(h.committeeId, h.metadata, h.state, h.referenceBlockNumber));
    }

    function _params2(Run memory run, bool[] memory signs, uint32 ref, bool weighted)
        internal
        view
        returns (BLSSignatureChecker.NonSignerStakesAndSignature memory p)
    {
        MultiProverServiceManager.StateHeader memory h = _header2(ref, hex"0000");
        uint256 n;
        for (uint256 i = 0; i < run.ops.length; i++) if (!signs[i]) n++;
        bytes32[] memory ids = new bytes32[](n);
        p.nonSignerPubkeys = new BN254.G1Point[](n);
        uint256 k;
        uint256 skSum;
        for (uint256 i = 0; i < run.ops.length; i++) {
            if (signs[i]) {
                uint256 c = weighted ? (run.bitmaps[i] == 3 ? 2 : 1) : 1;
                skSum = addmod(skSum, mulmod(c, run.ops[i].sk, BN254.FR_MODULUS), BN254.FR_MODULUS);
                continue;
            }
            uint256 j = k++;
            while (j > 0 && uint256(ids[j - 1]) > uint256(run.ops[i].id)) {
                ids[j] = ids[j - 1];
                p.nonSignerPubkeys[j] = p.nonSignerPubkeys[j - 1];
                j--;
            }
            ids[j] = run.ops[i].id;
            p.nonSignerPubkeys[j] = run.ops[i].pk1;
        }
        OperatorStateRetriever.CheckSignaturesIndices memory idx =
            osr.getCheckSignaturesIndices(IRegistryCoordinator(address(rc)), ref, h.quorumNumbers, ids);
        p.nonSignerQuorumBitmapIndices = idx.nonSignerQuorumBitmapIndices;
        p.quorumApkIndices = idx.quorumApkIndices;
        p.totalStakeIndices = idx.totalStakeIndices;
        p.nonSignerStakeIndices = idx.nonSignerStakeIndices;
        p.quorumApks = new BN254.G1Point[](2);
        p.quorumApks[0] = blsApkRegistry.getApk(0);
        p.quorumApks[1] = blsApkRegistry.getApk(1);
        p.sigma = BN254.scalar_mul(BN254.hashToG1(_digest2(h)), skSum);
        p.apkG2 = G2.mul(BN254.generatorG2(), skSum);
    }

    function _confirm2(Run memory run, bool[] memory signs, uint32 ref, bytes memory thresholds)
        internal
        returns (BLSSignatureChecker.QuorumStakeTotals memory t)
    {
        MultiProverServiceManager.StateHeader memory h = _header2(ref, thresholds);
        BLSSignatureChecker.NonSignerStakesAndSignature memory p = _params2(run, signs, ref, true);
        (t, ) = sm.checkSignatures(_digest2(h), h.quorumNumbers, ref, p);
        vm.prank(address(this), address(this));
        sm.confirmState(h, p);
    }
}
