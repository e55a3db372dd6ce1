// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {StakeRegistry} from "../src/middleware/StakeRegistry.sol";
import {SigUtils} from "../src/utils/SigUtils.sol";
import {RegistryCoordinator} from "../src/middleware/RegistryCoordinator.sol";
import {Pausable} from "../src/utils/Pausable.sol";
import {Ownable} from "../src/utils/Ownable.sol";
import {Initializable} from "../src/utils/Initializable.sol";
import {BitmapUtils} from "../src/libraries/BitmapUtils.sol";
import {BLSApkRegistry} from "../src/middleware/BLSApkRegistry.sol";
import {AVSDirectory} from "../src/core/AVSDirectory.sol";
import {IBLSSignatureChecker} from "../src/interfaces/IBLSSignatureChecker.sol";
import {ConfirmFixture} from "./Confirm.sol";
import {G2} from "./G2.sol";
import {BN254} from "../src/libraries/BN254.sol";
import {BLSSignatureChecker} from "../src/middleware/BLSSignatureChecker.sol";
import {OperatorStateRetriever} from "../src/middleware/OperatorStateRetriever.sol";
import {IMultiProverServiceManager} from "../src/interfaces/IMultiProverServiceManager.sol";
import {MultiProverServiceManager} from "../src/avs/MultiProverServiceManager.sol";
import {IRegistryCoordinator} from "../src/interfaces/IRegistryCoordinator.sol";
import {IBLSApkRegistry} from "../src/interfaces/IBLSApkRegistry.sol";
import {ISignatureUtils} from "../src/interfaces/ISignatureUtils.sol";

contract StackTest is ConfirmFixture {
    event log_named_uint(string key, uint256 val);

    // ---------------------------------------------------------------- vectors (spec §2.2, §3, §7)

    function test_hashToG1Vectors() external view {
        BN254.G1Point memory p = BN254.hashToG1(bytes32(0));
        assertEq(p.X, 1, "h(0).x");
        assertEq(p.Y, 2, "h(0).y");
        p = BN254.hashToG1(keccak256(""));
        assertEq(p.X, 1924180730567573949438414972962865884536842824156461616654016606101753147221, "h(k('')).x");
        assertEq(p.Y, 1728514896795884844118992509778460172744175111335267524878447231407682319036, "h(k('')).y");
        p = BN254.hashToG1(bytes32(type(uint256).max));
        assertEq(p.X, 6350874878119819312338956282401532409788428879151445726012394534686998597020, "h(ff).x");
        assertEq(p.Y, 9382425333525343773979589293970912874995880615911074345993039062358358671562, "h(ff).y");
        p = BN254.hashToG1(hex"0102030405060708091011121314151617181920212223242526272829303132");
        assertEq(p.X, 455867356320691211510521917002145349783771294742955950119233894477141651763, "h(01..32).x");
        assertEq(p.Y, 18389124305450312273087666412711538485117602745743585037239118590645240881449, "h(01..32).y");
    }

    function _vecPk2() internal pure returns (BN254.G2Point memory) {
        return BN254.G2Point(
            [13037982628644757040185398664786437290984469509590451662821837811616916784709,
             21178820834716757654755316634652689596298672403237496805637043993639570914444],
            [4022699804058148232740660343529564510469516782209703044121623735702017054687,
             19140012418317921816246648119057184310012212322230940883368399945282679167781]
        );
    }

    function test_signatureVectorAndG2Helper() external {
        deployStack(false);
        uint256 sk = 2215338531151182997276243965065522514190247674553811942190946030173209230351;
        BN254.G1Point memory pk1 = BN254.scalar_mul(BN254.generatorG1(), sk);
        assertEq(pk1.X, 19408553463882111916887171276012224475029133183214861480489485386352635269635, "pk1.x");
        assertEq(pk1.Y, 17418827901203159022109906145273000034647571131322064812191371351028964064220, "pk1.y");
        assertEq(BN254.hashG1Point(pk1), 0x2b3a67aee25855743a2ac3e1537d08d5219a9355c5490ad646760fedf5d538f8, "operatorId");
        BN254.G2Point memory pk2 = G2.mul(BN254.generatorG2(), sk);
        assertEq(BN254.hashG2Point(pk2), BN254.hashG2Point(_vecPk2()), "test G2 arithmetic vs vector");
        BN254.G1Point memory sigma = BN254.G1Point(
            10597362545591239940917376765607351853410086664574590122531858401444777591130,
            21241926338779413191769573299998870436018994330205763054406805057966894243249
        );
        (bool ok, bool valid) = sm.trySignatureAndApkVerification(keccak256(""), pk1, pk2, sigma);
        assertTrue(ok && valid, "vector signature must verify");
        (ok, valid) = sm.trySignatureAndApkVerification(keccak256("x"), pk1, pk2, sigma);
        assertTrue(ok && !valid, "wrong message must not verify");
    }

    /// @dev upstream.md §3.11: sk = 0x1234567890abcdef, the state digest vector, sigma and gamma.
    function test_stateSignatureVector() external {
        deployStack(false);
        uint256 sk = 0x1234567890abcdef;
        BN254.G1Point memory pk1 = BN254.scalar_mul(BN254.generatorG1(), sk);
        assertEq(pk1.X, 7937519569820912844113330374444454164310055281456073671403549050007087076600, "pk1.x");
        assertEq(BN254.hashG1Point(pk1), 0x65f140c2ba60f43c49ed9a9d1d80542a2cad6100c88ce262fe4bb8c0f217ff09, "operatorId/proverKey");
        BN254.G2Point memory pk2 = G2.mul(BN254.generatorG2(), sk);
        assertEq(pk2.X[0], 2268075717343646619726325178718587469148894022327387789354408481284080040927, "pk2.X[0]");
        assertEq(pk2.X[1], 10561008108043872417981295634168839352043939864395238170680090074550118004484, "pk2.X[1]");
        assertEq(pk2.Y[0], 5128880198190981026570891475295218131689809392082090518793865664324780212104, "pk2.Y[0]");
        assertEq(pk2.Y[1], 5431859185814925647861194615185121547976276937082519598714523094278283942333, "pk2.Y[1]");
        bytes32 digest = 0x3d35f95ee736d5b1a8e2208dc1d92519e469515038d64573fbd7a53adab940d5;
        BN254.G1Point memory sigma = BN254.scalar_mul(BN254.hashToG1(digest), sk);
        assertEq(sigma.X, 2913419960794468855316091727439276675866552670495843369669589578240607952936, "sigma.x");
        assertEq(sigma.Y, 4350341927921962682168964333513657456753434734875649130652705424514559515815, "sigma.y");
        uint256 gamma = uint256(keccak256(abi.encodePacked(
            digest, pk1.X, pk1.Y, pk2.X[0], pk2.X[1], pk2.Y[0], pk2.Y[1], sigma.X, sigma.Y))) % BN254.FR_MODULUS;
        assertEq(gamma, 460525275402614243479426463220940614231109101481850078306040302865070953479, "gamma");
        (bool ok, bool valid) = sm.trySignatureAndApkVerification(digest, pk1, pk2, sigma);
        assertTrue(ok && valid, "state signature verifies");
    }

    function test_constantsAndDigests() external {
        deployStack(false);
        assertEq(rc.PUBKEY_REGISTRATION_TYPEHASH(), 0x2bd82124057f0913bc3b772ce7b83e8057c1ad1f3510fc83778be20f10ec5de6, "pubkey typehash");
        assertEq(avsDirectory.DOMAIN_TYPEHASH(), 0x8cad95687ba82c2ce50e74f7b754645e5117c3a5bec8151c0726d5857980a866, "domain typehash");
        assertEq(avsDirectory.OPERATOR_AVS_REGISTRATION_TYPEHASH(), 0xda2c89bafdd34776a2b8bb9c83c82f419e20cc8c67207f70edd58249b92661bd, "avs typehash");
        assertEq(uint256(rc.OPERATOR_CHURN_APPROVAL_TYPEHASH()) >> 224, 0x4d404e32, "churn typehash prefix");
        // AVSDirectory domain: name "EigenLayer", no version, proxy address
        bytes32 ds = keccak256(abi.encode(avsDirectory.DOMAIN_TYPEHASH(), keccak256("EigenLayer"), block.chainid, address(avsDirectory)));
        assertEq(avsDirectory.domainSeparator(), ds, "domain separator");
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", ds, keccak256(abi.encode(
            avsDirectory.OPERATOR_AVS_REGISTRATION_TYPEHASH(), address(1), address(sm), bytes32(uint256(7)), uint256(99)))));
        assertEq(avsDirectory.calculateOperatorAVSRegistrationDigestHash(address(1), address(sm), bytes32(uint256(7)), 99), digest, "avs digest");
        // RegistryCoordinator pubkey registration message: EIP-712 "AVSRegistryCoordinator"/"v0.0.1" over the proxy
        bytes32 rcDomain = keccak256(abi.encode(
            0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f,
            0x6ec8a99f0e7f9ebde7354a446dcb9423f3af9c58f386a53c59c5b384f9e82d11,
            0x6bda7e3f385e48841048390444cced5cc795af87758af67622e5f4f0882c4a99, block.chainid, address(rc)));
        bytes32 m = keccak256(abi.encodePacked("\x19\x01", rcDomain, keccak256(abi.encode(rc.PUBKEY_REGISTRATION_TYPEHASH(), address(5)))));
        BN254.G1Point memory h = rc.pubkeyRegistrationMessageHash(address(5));
        BN254.G1Point memory want = BN254.hashToG1(m);
        assertTrue(h.X == want.X && h.Y == want.Y, "pubkeyRegistrationMessageHash");
    }

    function test_reducedStateHeaderDigestVector() external {
        deployStack(false);
        bytes memory metadata = bytes('{"batch_id":326800,"start_block":9850414,"end_block":9850527}');
        bytes memory zeros = new bytes(130);
        for (uint256 i = 0; i < 130; i++) zeros[i] = "0";
        bytes memory state = abi.encodePacked(
            '{"batch_hash":"0x9fc92b2699dcd97f0f22d81e13d316d76751de67bfbc3c6afd023b05ca930f37",',
            '"state_hash":"0xc0eff2fa84b7e0591d49994fed63d0ca9e69f77f9658caec93c7f452a18c0808",',
            '"prev_state_root":"0x02b0659557cbef26689ca30067bd17658b55db5555aeffeb60025ede53e7fefb",',
            '"new_state_root":"0x15277dcb70eabc3703a816f470f9b9f05aa4272d232ca6c7ced84d4874f5bb0e",',
            '"withdrawal_root":"0x0aaa5af01432a5037adc40237e9f88c1059de1c207fe1b5287a595cd94c729d3",',
            '"signature":"0x', zeros, '"}'
        );
        bytes32 d = sm._hashReducedStateHeader(IMultiProverServiceManager.ReducedStateHeader(1, metadata, state, 20000000));
        assertEq(d, 0x3d35f95ee736d5b1a8e2208dc1d92519e469515038d64573fbd7a53adab940d5, "digest vector");
        BN254.G1Point memory h = BN254.hashToG1(d);
        assertEq(h.X, 5798204879598263480489482177114043932988165840780888618280673716181380383633, "H(digest).x");
    }

    // ---------------------------------------------------------------- registration

    function test_registerOperators() external {
        deployStack(false);
        Op[] memory ops = _ops(2);
        vm.roll(10);
        uint256 g = gasleft();
        registerOp(ops[0]);
        emit log_named_uint("gas registerOperator (first, incl. key registration)", g - gasleft());
        vm.roll(11);
        registerOp(ops[1]);
        assertEq(uint256(rc.getOperatorStatus(ops[0].addr)), 1, "status");
        assertEq(rc.getOperatorId(ops[1].addr), ops[1].id, "operatorId");
        assertEq(rc.getOperatorFromId(ops[0].id), ops[0].addr, "operator from id");
        assertEq(uint256(rc.getCurrentQuorumBitmap(ops[0].id)), 1, "bitmap");
        assertEq(uint256(avsDirectory.avsOperatorStatus(address(sm), ops[0].addr)), 1, "avs directory status");
        assertEq(uint256(stakeRegistry.getCurrentStake(ops[1].id, 0)), 1 ether + 1e16, "stake");
        assertEq(uint256(stakeRegistry.getCurrentTotalStake(0)), 2 ether + 1e16, "total stake");
        assertEq(uint256(indexRegistry.totalOperatorsForQuorum(0)), 2, "index count");
        BN254.G1Point memory apk = blsApkRegistry.getApk(0);
        BN254.G1Point memory want = BN254.plus(ops[0].pk1, ops[1].pk1);
        assertTrue(apk.X == want.X && apk.Y == want.Y, "apk");
        vm.roll(12);
        OperatorStateRetriever.Operator[][] memory st = osr.getOperatorState(IRegistryCoordinator(address(rc)), bytes(hex"00"), 11);
        assertEq(st[0].length, 2, "state length");
        assertEq(st[0][1].operator, ops[1].addr, "state operator");
        assertEq(uint256(st[0][1].stake), 1 ether + 1e16, "state stake");
        st = osr.getOperatorState(IRegistryCoordinator(address(rc)), bytes(hex"00"), 10);
        assertEq(st[0].length, 1, "history: one operator at block 10");
        (uint256 bm, ) = osr.getOperatorState(IRegistryCoordinator(address(rc)), ops[0].id, 11);
        assertEq(bm, 1, "bitmap via retriever");
        address[] memory restaked = sm.getOperatorRestakedStrategies(ops[0].addr);
        assertEq(restaked.length, 1, "restaked strategies");
        assertEq(restaked[0], address(strategy), "restaked strategy");
    }

    function test_deregisterSwapPopAndHistory() external {
        deployStack(false);
        Op[] memory ops = _ops(3);
        vm.roll(10);
        for (uint256 i = 0; i < 3; i++) registerOp(ops[i]);
        vm.roll(20);
        vm.prank(ops[0].addr);
        rc.deregisterOperator(hex"00");
        assertEq(uint256(rc.getOperatorStatus(ops[0].addr)), 2, "deregistered");
        assertEq(uint256(indexRegistry.currentOperatorIndex(0, ops[2].id)), 0, "last operator moved to freed index");
        vm.roll(21);
        bytes32[] memory now_ = indexRegistry.getOperatorListAtBlockNumber(0, 20);
        assertEq(now_.length, 2, "two left");
        assertEq(now_[0], ops[2].id, "swap-pop order");
        assertEq(now_[1], ops[1].id, "index 1 unchanged");
        bytes32[] memory before = indexRegistry.getOperatorListAtBlockNumber(0, 19);
        assertEq(before.length, 3, "history keeps three");
        assertEq(before[0], ops[0].id, "history order");
        assertEq(uint256(avsDirectory.avsOperatorStatus(address(sm), ops[0].addr)), 0, "avs deregistered");
        assertEq(uint256(stakeRegistry.getStakeAtBlockNumber(ops[0].id, 0, 20)), 0, "stake zero after");
        assertEq(uint256(stakeRegistry.getStakeAtBlockNumber(ops[0].id, 0, 19)), 1 ether, "stake before");
        vm.expectRevert(RegistryCoordinator.NotRegistered.selector);
        vm.prank(ops[0].addr);
        rc.deregisterOperator(hex"00");
    }

    function test_registerReverts() external {
        deployStack(true); // PoA on
        Op[] memory ops = _ops(2);
        IBLSApkRegistry.PubkeyRegistrationParams memory p = registrationParams(ops[0]);
        ISignatureUtils.SignatureWithSaltAndExpiry memory s = avsSignature(ops[0], bytes32(uint256(1)));
        // non-whitelisted operator under PoA
        vm.expectRevert(IMultiProverServiceManager.NotWhitelisted.selector);
        vm.prank(ops[0].addr);
        rc.registerOperator(hex"00", "", p, s);
        sm.whitelistOperator(ops[0].addr);
        // bad proof of possession (signature of another key)
        IBLSApkRegistry.PubkeyRegistrationParams memory bad = registrationParams(ops[0]);
        bad.pubkeyRegistrationSignature = registrationParams(ops[1]).pubkeyRegistrationSignature;
        vm.expectRevert(BLSApkRegistry.InvalidBLSSignatureOrPrivateKey.selector);
        vm.prank(ops[0].addr);
        rc.registerOperator(hex"00", "", bad, s);
        // AVS signature by the wrong key
        ISignatureUtils.SignatureWithSaltAndExpiry memory wrong = avsSignature(ops[1], bytes32(uint256(1)));
        vm.expectRevert(SigUtils.SignatureNotFromSigner.selector);
        vm.prank(ops[0].addr);
        rc.registerOperator(hex"00", "", p, wrong);
        // expired AVS signature
        vm.warp(block.timestamp + 7200);
        vm.expectRevert(AVSDirectory.SignatureExpired.selector);
        vm.prank(ops[0].addr);
        rc.registerOperator(hex"00", "", p, s);
        s = avsSignature(ops[0], bytes32(uint256(1)));
        // quorum that does not exist / unordered
        vm.expectRevert(BitmapUtils.BitmapValueTooLarge.selector);
        vm.prank(ops[0].addr);
        rc.registerOperator(hex"01", "", p, s);
        // below minimum stake
        Op memory poor = makeOp(0xBEEF, 424242);
        fundAndDelegate(poor, 1e15);
        sm.whitelistOperator(poor.addr);
        IBLSApkRegistry.PubkeyRegistrationParams memory pp = registrationParams(poor);
        ISignatureUtils.SignatureWithSaltAndExpiry memory ps = avsSignature(poor, bytes32(uint256(2)));
        vm.expectRevert(StakeRegistry.BelowMinimumStakeRequirement.selector);
        vm.prank(poor.addr);
        rc.registerOperator(hex"00", "", pp, ps);
        // success, then replay of the same salt/registration
        vm.prank(ops[0].addr);
        rc.registerOperator(hex"00", "", p, s);
        vm.expectRevert(RegistryCoordinator.AlreadyRegisteredForQuorums.selector);
        vm.prank(ops[0].addr);
        rc.registerOperator(hex"00", "", p, s);
        // not an EigenLayer operator
        Op memory stranger = makeOp(0xCAFE, 777);
        sm.whitelistOperator(stranger.addr);
        IBLSApkRegistry.PubkeyRegistrationParams memory sp = registrationParams(stranger);
        ISignatureUtils.SignatureWithSaltAndExpiry memory ss = avsSignature(stranger, bytes32(uint256(3)));
        vm.expectRevert(AVSDirectory.OperatorNotRegisteredToEigenLayer.selector);
        vm.prank(stranger.addr);
        rc.registerOperator(hex"00", "", sp, ss);
        // only the coordinator may call the service manager hooks
        vm.expectRevert(IMultiProverServiceManager.OnlyRegistryCoordinator.selector);
        sm.registerOperatorToAVS(ops[1].addr, ss);
    }

    // ---------------------------------------------------------------- confirmState

    function test_confirmState_allSignersAndOneNonSigner() external {
        Op[] memory ops = _setup(2);
        bool[] memory signs = new bool[](2);
        signs[0] = true;
        signs[1] = true;
        IMultiProverServiceManager.StateHeader memory h = _header(105, 66);
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p = _params(ops, signs, h);
        _confirm(h, p);
        assertEq(uint256(sm.taskId()), 1, "taskId");
        (, bytes32 rec) = sm.checkSignatures(_digest(h), h.quorumNumbers, h.referenceBlockNumber, p);
        assertEq(rec, keccak256(abi.encodePacked(uint32(105))), "signatory record, no non-signers");
        assertEq(sm.taskIdToMetadataHash(0), keccak256(abi.encodePacked(keccak256(abi.encode(h)), rec, uint32(block.number))), "metadata hash");

        // operator 1 does not sign: 1 ether of 2.01 ether signed = 49.7%
        signs[1] = false;
        h = _header(105, 40);
        p = _params(ops, signs, h);
        (IBLSSignatureChecker.QuorumStakeTotals memory t, bytes32 rec2) =
            sm.checkSignatures(_digest(h), h.quorumNumbers, h.referenceBlockNumber, p);
        assertEq(uint256(t.signedStakeForQuorum[0]), 1 ether, "signed stake");
        assertEq(uint256(t.totalStakeForQuorum[0]), 2 ether + 1e16, "total stake");
        assertEq(rec2, keccak256(abi.encodePacked(uint32(105), ops[1].id)), "signatory record");
        _confirm(h, p);
        assertEq(uint256(sm.taskId()), 2, "taskId 2");

        // threshold not met
        h = _header(105, 50);
        p = _params(ops, signs, h);
        vm.expectRevert(IMultiProverServiceManager.InsufficientThreshold.selector);
        this.confirmExternal(h, p);
    }

    function test_confirmState_reverts() external {
        Op[] memory ops = _setup(3);
        bool[] memory signs = new bool[](3);
        signs[0] = true;
        IMultiProverServiceManager.StateHeader memory h = _header(105, 10);
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p = _params(ops, signs, h);

        // unsorted non-signers
        IBLSSignatureChecker.NonSignerStakesAndSignature memory q = _params(ops, signs, h);
        (q.nonSignerPubkeys[0], q.nonSignerPubkeys[1]) = (q.nonSignerPubkeys[1], q.nonSignerPubkeys[0]);
        vm.expectRevert(IBLSSignatureChecker.NonSignerPubkeysNotSorted.selector);
        this.confirmExternal(h, q);

        // wrong apk index: index 0 is the empty apk from quorum creation
        q = _params(ops, signs, h);
        q.quorumApkIndices[0] = 0;
        vm.expectRevert(BLSApkRegistry.BlockNumberNotLatest.selector);
        this.confirmExternal(h, q);

        // wrong apk
        q = _params(ops, signs, h);
        q.quorumApks[0] = ops[0].pk1;
        vm.expectRevert(IBLSSignatureChecker.InvalidQuorumApkHash.selector);
        this.confirmExternal(h, q);

        // stale / future reference block
        IMultiProverServiceManager.StateHeader memory hf = _header(uint32(block.number), 10);
        vm.expectRevert(IBLSSignatureChecker.InvalidReferenceBlocknumber.selector);
        this.confirmExternal(hf, p);

        // reference block before the registrations: the non-signer has no bitmap then
        IMultiProverServiceManager.StateHeader memory hs = _header(50, 10);
        vm.expectRevert(RegistryCoordinator.BitmapUpdateIsAfterBlockNumber.selector);
        this.confirmExternal(hs, p);

        // signature over another message
        q = _params(ops, signs, h);
        IMultiProverServiceManager.StateHeader memory h2 = _header(105, 10);
        h2.state = bytes("other");
        vm.expectRevert(IBLSSignatureChecker.InvalidBLSSignature.selector);
        this.confirmExternal(h2, q);

        // wrong stake index count
        q = _params(ops, signs, h);
        q.nonSignerStakeIndices[0] = new uint32[](1);
        vm.expectRevert();
        this.confirmExternal(h, q);

        // committee / quorum checks
        IMultiProverServiceManager.StateHeader memory hc = _header(105, 10);
        hc.committeeId = 9;
        vm.expectRevert(IMultiProverServiceManager.CommitteeNotExist.selector);
        this.confirmExternal(hc, p);
        hc = _header(105, 10);
        hc.quorumThresholdPercentages = hex"0a0a";
        vm.expectRevert(IMultiProverServiceManager.InvalidQuorumParam.selector);
        this.confirmExternal(hc, p);

        // access: only the state confirmer, and only from an EOA (tx.origin == msg.sender)
        vm.expectRevert(IMultiProverServiceManager.NoPermission.selector);
        vm.prank(address(0xdead), address(0xdead));
        sm.confirmState(h, p);
        vm.expectRevert(IMultiProverServiceManager.InvalidSender.selector);
        vm.prank(address(this), address(0xdead));
        sm.confirmState(h, p);

        // paused
        sm.pause(1);
        vm.expectRevert(Pausable.CurrentlyPaused.selector);
        this.confirmExternal(h, p);
        sm.unpause(0);

        // and the unmodified parameters succeed
        this.confirmExternal(h, p);
    }

    function test_committeeManagement() external {
        deployStack(false);
        vm.expectRevert(IMultiProverServiceManager.CommitteeExist.selector);
        sm.addCommittee(IMultiProverServiceManager.Committee(3, "", "", hex"00"));
        vm.expectRevert(IMultiProverServiceManager.ZeroId.selector);
        sm.addCommittee(IMultiProverServiceManager.Committee(0, "", "", hex"00"));
        vm.expectRevert(IMultiProverServiceManager.TEEQuorumUsed.selector);
        sm.addCommittee(IMultiProverServiceManager.Committee(4, "", "", hex"00"));
        vm.expectRevert(IMultiProverServiceManager.TEEQuorumNotExist.selector);
        sm.addCommittee(IMultiProverServiceManager.Committee(4, "", "", hex"01"));
        vm.expectRevert(IMultiProverServiceManager.TEEQuorumExist.selector);
        sm.addTEEQuorum(IMultiProverServiceManager.TEEQuorum(IMultiProverServiceManager.TEE.INTEL_SGX, 0));
        vm.expectRevert(IMultiProverServiceManager.QuorumNotInitialized.selector);
        sm.addTEEQuorum(IMultiProverServiceManager.TEEQuorum(IMultiProverServiceManager.TEE.INTEL_SGX, 1));
        vm.expectRevert(IMultiProverServiceManager.InvalidQuorumParam.selector);
        sm.addTEEQuorum(IMultiProverServiceManager.TEEQuorum(IMultiProverServiceManager.TEE.NONE, 1));
        vm.expectRevert(IMultiProverServiceManager.TEEQuorumUsed.selector);
        sm.removeTEEQuorum(0);
        vm.expectEmit(true, true, true, true, address(sm));
        emit IMultiProverServiceManager.CommitteeUpdated(3, "renamed", "", hex"00");
        sm.updateCommittee(IMultiProverServiceManager.Committee(3, "renamed", "", hex"00"));
        assertEq(sm.quorumIdToCommitteeId(0), 3, "rebound");
        vm.expectEmit(true, true, true, true, address(sm));
        emit IMultiProverServiceManager.CommitteeRemoved(3);
        sm.removeCommittee(3);
        assertEq(sm.quorumIdToCommitteeId(0), 0, "unbound");
        vm.expectRevert(IMultiProverServiceManager.CommitteeNotExist.selector);
        sm.removeCommittee(3);
        vm.expectEmit(true, true, true, true, address(sm));
        emit IMultiProverServiceManager.TEEQuorumRemoved(0);
        sm.removeTEEQuorum(0);
        vm.expectRevert(IMultiProverServiceManager.TEEQuorumNotExist.selector);
        sm.removeTEEQuorum(0);
        vm.expectRevert(IMultiProverServiceManager.NoPermission.selector);
        vm.prank(address(0xdead));
        sm.addTEEQuorum(IMultiProverServiceManager.TEEQuorum(IMultiProverServiceManager.TEE.INTEL_SGX, 0));
        vm.expectRevert(IMultiProverServiceManager.ZeroAddr.selector);
        sm.setStateConfirmer(address(0));
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(0xdead)));
        vm.prank(address(0xdead));
        sm.setStateConfirmer(address(1));
        vm.expectRevert(IMultiProverServiceManager.NoPermission.selector);
        vm.prank(address(0xdead));
        sm.enablePoA();
        vm.expectEmit(true, true, true, true, address(sm));
        emit IMultiProverServiceManager.PoAStatusUpdated(true);
        sm.enablePoA();
        assertTrue(sm.isPoAEnabled(), "poa");
        vm.expectEmit(true, true, true, true, address(sm));
        emit IMultiProverServiceManager.PoAStatusUpdated(false);
        sm.disablePoA();
        assertTrue(!sm.poaEnabled(), "poa off");
        vm.expectEmit(true, true, true, true, address(sm));
        emit IMultiProverServiceManager.OperatorWhitelistUpdated(address(0xabc), true);
        sm.whitelistOperator(address(0xabc));
        assertTrue(sm.isOperatorWhitelisted(address(0xabc)), "whitelisted");
        vm.expectEmit(true, true, true, true, address(sm));
        emit IMultiProverServiceManager.OperatorWhitelistUpdated(address(0xabc), false);
        sm.blacklistOperator(address(0xabc));
        assertTrue(!sm.isOperatorWhitelisted(address(0xabc)), "blacklisted");
        vm.expectEmit(true, true, true, true, address(sm));
        emit IMultiProverServiceManager.TEEQuorumAdded(0, IMultiProverServiceManager.TEE.INTEL_SGX);
        sm.addTEEQuorum(IMultiProverServiceManager.TEEQuorum(IMultiProverServiceManager.TEE.INTEL_SGX, 0));
        vm.expectEmit(true, true, true, true, address(sm));
        emit IMultiProverServiceManager.CommitteeUpdated(7, "again", hex"01", hex"00");
        sm.addCommittee(IMultiProverServiceManager.Committee(7, "again", hex"01", hex"00"));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        sm.initialize(pauserRegistry, 0, address(this), address(this), address(this), address(this), false);
        vm.expectRevert(IBLSSignatureChecker.OnlyRegistryCoordinatorOwner.selector);
        vm.prank(address(0xdead));
        sm.setStaleStakesForbidden(true);
        assertTrue(!sm.staleStakesForbidden(), "proxy storage starts false (upstream behaviour)");
    }

    function test_staleStakesForbidden() external {
        Op[] memory ops = _setup(2);
        bool[] memory signs = new bool[](2);
        signs[0] = true;
        signs[1] = true;
        sm.setStaleStakesForbidden(true);
        IMultiProverServiceManager.StateHeader memory h = _header(105, 66);
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p = _params(ops, signs, h);
        // quorumUpdateBlockNumber(0) = 0 and 0 + 50400 > 105 still holds; move far ahead
        vm.roll(60000);
        h = _header(59990, 66);
        p = _params(ops, signs, h);
        vm.expectRevert(IBLSSignatureChecker.StaleStakesForbidden.selector);
        this.confirmExternal(h, p);
        address[][] memory per = new address[][](1);
        per[0] = new address[](2);
        (per[0][0], per[0][1]) = ops[0].addr < ops[1].addr ? (ops[0].addr, ops[1].addr) : (ops[1].addr, ops[0].addr);
        rc.updateOperatorsForQuorum(per, hex"00");
        vm.roll(60010);
        h = _header(60005, 66);
        p = _params(ops, signs, h);
        this.confirmExternal(h, p);
    }

    // ---------------------------------------------------------------- gas figures

    function _gasRun(uint256 n, uint256 nonSigners) internal {
        Op[] memory ops = _setup(n);
        bool[] memory signs = new bool[](n);
        for (uint256 i = 0; i < n; i++) signs[i] = i >= nonSigners;
        IMultiProverServiceManager.StateHeader memory h = _header(105, 1);
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p = _params(ops, signs, h);
        uint256 g = _confirm(h, p);
        emit log_named_uint(string(abi.encodePacked("gas confirmState operators=", _u(n), " nonSigners=", _u(nonSigners))), g);
    }

    function test_gas_confirmState_1() external { _gasRun(1, 0); }
    function test_gas_confirmState_10_allSign() external { _gasRun(10, 0); }
    function test_gas_confirmState_10_3nonSigners() external { _gasRun(10, 3); }
    function test_gas_confirmState_50_allSign() external { _gasRun(50, 0); }
    function test_gas_confirmState_50_10nonSigners() external { _gasRun(50, 10); }
}
